import type { DeliveryStatus } from "@hookloop/db/client";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type ListDeliveriesOptions = {
  workspaceId: string;
  endpointId?: string;
  status?: DeliveryStatus;
  type?: string;
  contactId?: string;
  limit?: number;
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
