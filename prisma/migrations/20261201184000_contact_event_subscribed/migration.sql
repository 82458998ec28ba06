-- A change from the workspace's own app (the API) may subscribe or unsubscribe its contact; the
-- history keeps that with the change, so a replay in Stripe's order keeps it too. Null: the event
-- says nothing about it (every Stripe event).

-- AlterTable
ALTER TABLE "contact_event" ADD COLUMN     "subscribed" BOOLEAN;
