import type { Db } from "@hookloop/db/client";
import { asJson } from "./stripe-fixtures";

type FixtureEvent = { id: string; type: string; created: number; livemode: boolean };

/**
 * Writes a delivery as ingest records it: `queued`, with the Stripe payload, and (unless told
 * otherwise) no outbox row, as if the queue had already taken it.
 */
export async function recordTestDelivery(
  db: Db,
  options: { workspaceId: string; endpointId: string; event: FixtureEvent; outboxRecordedAt?: Date },
) {
  const { event } = options;
  const delivery = await db.delivery.create({
    data: {
      workspaceId: options.workspaceId,
      endpointId: options.endpointId,
      stripeEventId: event.id,
      type: event.type,
      livemode: event.livemode,
      stripeCreatedAt: new Date(event.created * 1000),
      status: "queued",
      payload: asJson(event),
    },
  });
  if (options.outboxRecordedAt) {
    await db.deliveryOutbox.create({
      data: { deliveryId: delivery.id, workspaceId: options.workspaceId, recordedAt: options.outboxRecordedAt },
    });
  }
  return delivery;
}
