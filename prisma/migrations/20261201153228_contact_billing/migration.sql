-- Billing state on contacts, and each event's billing fact in the history it is replayed from.
-- One jsonb column each rather than a column per field: the state is derived, replayed and written
-- whole with the contact, read whole (CLI, CSV, destination messages), and its shape is the domain's
-- zod schema (billingStateSchema, billingFactSchema), parsed where it is read; a filter by status or
-- plan can index the expression (billing->>'subscriptionStatus') when the dashboard needs one.

-- AlterTable
ALTER TABLE "contact" ADD COLUMN     "billing" JSONB;

-- AlterTable
ALTER TABLE "contact_event" ADD COLUMN     "billing" JSONB;
