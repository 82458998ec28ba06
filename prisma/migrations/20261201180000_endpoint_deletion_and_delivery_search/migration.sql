-- Endpoints are deleted softly: the row stays, so its deliveries stay, and with them the links the
-- contact history (contact_event.delivery_id) and trigger events keep to them. Ingest treats a
-- deleted endpoint as unknown (hookloop_ingest_endpoint, hookloop_record_deliveries), and lists
-- leave it out. A bulk replay stamps the deliveries it queues with one replayed_at, read back for
-- its progress. The dashboard searches deliveries by the Stripe customer and the email their
-- payload names: two expression indexes, on the same expressions core's delivery filter uses.

-- AlterTable
ALTER TABLE "delivery" ADD COLUMN     "replayed_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "endpoint" ADD COLUMN     "deleted_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "delivery_endpoint_id_replayed_at_idx" ON "delivery"("endpoint_id", "replayed_at");

-- hookloop:manual
-- The customer a delivery's event names (a string or an expanded customer, or the customer itself
-- on customer.* events) and the email it names, lower-cased; core/delivery/delivery-filter.ts
-- writes the same expressions, so the planner uses these.
CREATE INDEX "delivery_customer_search_idx" ON "delivery" ("workspace_id", (COALESCE(payload #>> '{data,object,customer,id}', payload #>> '{data,object,customer}', CASE WHEN payload #>> '{data,object,object}' = 'customer' THEN payload #>> '{data,object,id}' END)));
CREATE INDEX "delivery_email_search_idx" ON "delivery" ("workspace_id", (lower(COALESCE(payload #>> '{data,object,email}', payload #>> '{data,object,customer_email}', payload #>> '{data,object,customer_details,email}', payload #>> '{data,object,billing_details,email}', payload #>> '{data,object,receipt_email}'))));
