-- An optional condition on a mapped event's trigger event (@hookloop/domain triggerConditionSchema:
-- first invoice of a subscription, an amount at least X, a plan), parsed where it is read; null
-- fires always, as before.

-- AlterTable
ALTER TABLE "endpoint_event" ADD COLUMN     "condition" JSONB;
