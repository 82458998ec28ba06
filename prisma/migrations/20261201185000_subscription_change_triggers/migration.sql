-- Trigger events for subscription changes (became trialing, active, past_due, canceled; plan
-- changed), named by the change (@hookloop/domain subscriptionChanges: `<subscription>:<kind>:<n>`),
-- so each fires once even when a late event moves the event that first shows it. Null on the
-- trigger events of mapped Stripe events, which are named by their event.

-- AlterTable
ALTER TABLE "trigger_event" ADD COLUMN     "change_key" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "trigger_event_workspace_id_change_key_key" ON "trigger_event"("workspace_id", "change_key");
