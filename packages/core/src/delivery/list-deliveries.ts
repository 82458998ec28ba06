import { Prisma } from "@hookloop/db/client";
import { z } from "zod";
import type { PagePosition } from "../contact/filter-contacts";
import type { WorkspaceTx } from "../workspace/with-workspace";
import { deliveryCondition, type DeliveryFilter } from "./delivery-filter";

export type ListDeliveriesOptions = DeliveryFilter & {
  limit?: number;
  /** Only deliveries after this one in the list's order (older, or as old with a smaller id): the next page. */
  after?: PagePosition;
};

const rowsSchema = z.array(
  z.object({
    id: z.string(),
    endpointId: z.string(),
    stripeEventId: z.string(),
    type: z.string(),
    livemode: z.boolean(),
    status: z.enum(["queued", "processed", "ignored", "failed"]),
    reason: z.string().nullable(),
    receivedAt: z.date(),
    processedAt: z.date().nullable(),
    contactId: z.string().nullable(),
  }),
);

/**
 * Newest first, ordered by (received_at, id) so that a position names one place in the list: a
 * delivery received while someone pages lands before their first page, never on a later one.
 * Without payloads (they can be large); read one delivery for its payload.
 */
export async function listDeliveries(tx: WorkspaceTx, options: ListDeliveriesOptions) {
  const { after } = options;
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 501);
  const rows = await tx.$queryRaw`
    SELECT d.id::text AS id, d.endpoint_id AS "endpointId", d.stripe_event_id AS "stripeEventId", d.type, d.livemode,
           d.status::text AS status, d.reason, d.received_at AS "receivedAt", d.processed_at AS "processedAt",
           d.contact_id::text AS "contactId"
    FROM delivery d
    WHERE ${deliveryCondition(options)}
      ${after ? Prisma.sql`AND (d.received_at, d.id) < (${after.at}, ${after.id}::uuid)` : Prisma.empty}
    ORDER BY d.received_at DESC, d.id DESC
    LIMIT ${limit}`;
  return rowsSchema.parse(rows);
}
