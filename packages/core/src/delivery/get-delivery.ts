import type { DbClient } from "@hookloop/db/client";
import { NotFoundError } from "../errors";
import { requireUuid } from "../ids";

/** One delivery with its payload. Run inside withWorkspace. */
export async function getDelivery(tx: DbClient, options: { workspaceId: string; deliveryId: string }) {
  requireUuid(options.deliveryId, "delivery");
  const delivery = await tx.delivery.findFirst({
    where: { id: options.deliveryId, workspaceId: options.workspaceId },
    include: { contact: { select: { id: true, email: true } } },
  });
  if (!delivery) throw new NotFoundError("delivery");
  return delivery;
}
