import type { DeliveryStatus } from "@hookloop/db/client";
import type { PagePosition } from "../contact/filter-contacts";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type ListDeliveriesOptions = {
  workspaceId: string;
  endpointId?: string;
  status?: DeliveryStatus;
  type?: string;
  contactId?: string;
  limit?: number;
  /** Only deliveries older than this one: the next page after it. */
  after?: PagePosition;
};

/** Newest first, without payloads (they can be large); read one delivery for its payload. */
export async function listDeliveries(tx: WorkspaceTx, options: ListDeliveriesOptions) {
  return tx.delivery.findMany({
    where: {
      workspaceId: options.workspaceId,
      ...(options.endpointId ? { endpointId: options.endpointId } : {}),
      ...(options.status ? { status: options.status } : {}),
      ...(options.type ? { type: options.type } : {}),
      ...(options.contactId ? { contactId: options.contactId } : {}),
      ...(options.after
        ? { OR: [{ receivedAt: { lt: options.after.at } }, { receivedAt: options.after.at, id: { lt: options.after.id } }] }
        : {}),
    },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(options.limit ?? 50, 1), 500),
    select: {
      id: true,
      endpointId: true,
      stripeEventId: true,
      type: true,
      livemode: true,
      status: true,
      reason: true,
      receivedAt: true,
      processedAt: true,
      contactId: true,
    },
  });
}
