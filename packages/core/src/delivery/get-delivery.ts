import { NotFoundError } from "../errors";
import { requireUuid } from "../ids";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type GetDeliveryOptions = { workspaceId: string; deliveryId: string };

/** One delivery with its payload, and its endpoint's name and whether that was deleted. */
export async function getDelivery(tx: WorkspaceTx, options: GetDeliveryOptions) {
  requireUuid(options.deliveryId, "delivery");
  const delivery = await tx.delivery.findFirst({
    where: { id: options.deliveryId, workspaceId: options.workspaceId },
    include: { contact: { select: { id: true, email: true } }, endpoint: { select: { name: true, deletedAt: true } } },
  });
  if (!delivery) throw new NotFoundError("delivery");
  return delivery;
}
