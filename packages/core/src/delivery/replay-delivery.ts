import type { TypedQueue } from "@hookloop/queue";
import { replayRefusal } from "@hookloop/domain";
import { InvalidInputError, NotFoundError } from "../errors";
import { requireUuid } from "../ids";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type ReplayDeliveryOptions = { workspaceId: string; deliveryId: string; queue: TypedQueue<"deliveries"> };

/**
 * Puts a failed or ignored delivery back in the queue, to be applied once more. Trigger events are
 * unique per Stripe event and name, so a replay never fires one twice. An event type Hookloop does
 * not handle, or a delivery whose endpoint was deleted, is refused: it could not succeed.
 */
export async function replayDelivery(tx: WorkspaceTx, options: ReplayDeliveryOptions) {
  const { queue } = options;
  requireUuid(options.deliveryId, "delivery");
  const delivery = await tx.delivery.findFirst({
    where: { id: options.deliveryId, workspaceId: options.workspaceId },
    select: { id: true, status: true, type: true, endpoint: { select: { deletedAt: true } } },
  });
  if (!delivery) throw new NotFoundError("delivery");
  const refusal = replayRefusal(delivery);
  if (refusal) throw new InvalidInputError(refusal);
  if (delivery.endpoint.deletedAt) {
    throw new InvalidInputError("This delivery's endpoint was deleted, so it is not replayed.");
  }
  // A failed job is kept for inspection under the delivery's id; make room for the new one.
  await queue.queue.remove(delivery.id);
  await tx.delivery.update({
    where: { id: delivery.id },
    data: { status: "queued", reason: "Replayed.", processedAt: null, replayedAt: new Date() },
  });
  // As for an event from Stripe, the outbox row stays until the delivery is applied, so a job that
  // Redis refuses or loses is queued again by the worker's relay.
  await tx.deliveryOutbox.upsert({
    where: { deliveryId: delivery.id },
    create: { deliveryId: delivery.id, workspaceId: options.workspaceId },
    update: { recordedAt: new Date() },
  });
  // The job may reach a worker before this transaction commits: the worker's claim waits on the
  // row lock taken above and then sees `queued`.
  await queue.add(delivery.id, { deliveryId: delivery.id, workspaceId: options.workspaceId }).catch(() => undefined);
  return { id: delivery.id, status: "queued" as const };
}
