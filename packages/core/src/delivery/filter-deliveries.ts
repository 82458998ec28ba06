import type { DeliveryStatus } from "@hookloop/db/client";
import type { PagePosition } from "../contact/filter-contacts";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type FilterDeliveriesOptions = {
  workspaceId: string;
  endpointId?: string;
  status?: DeliveryStatus;
  type?: string;
  limit: number;
  after?: PagePosition;
};

/** Newest first, keyset-paginated on (received_at, id), without payloads. */
export async function filterDeliveries(tx: WorkspaceTx, options: FilterDeliveriesOptions) {
  const { after } = options;
  const rows = await tx.delivery.findMany({
    where: {
      workspaceId: options.workspaceId,
      ...(options.endpointId ? { endpointId: options.endpointId } : {}),
      ...(options.status ? { status: options.status } : {}),
      ...(options.type ? { type: options.type } : {}),
      ...(after ? { OR: [{ receivedAt: { lt: after.at } }, { receivedAt: after.at, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: options.limit + 1,
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
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > options.limit && last ? { at: last.receivedAt, id: last.id } : null };
}
