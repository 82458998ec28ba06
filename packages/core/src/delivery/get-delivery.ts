import { NotFoundError } from "../errors";
import { requireUuid } from "../ids";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type GetDeliveryOptions = { workspaceId: string; deliveryId: string };

/** One delivery with its payload. */
export async function getDelivery(tx: WorkspaceTx, options: GetDeliveryOptions) {
  requireUuid(options.deliveryId, "delivery");
  const delivery = await tx.delivery.findFirst({
    where: { id: options.deliveryId, workspaceId: options.workspaceId },
    include: { contact: { select: { id: true, email: true } } },
  });
  if (!delivery) throw new NotFoundError("delivery");
  return delivery;
}
