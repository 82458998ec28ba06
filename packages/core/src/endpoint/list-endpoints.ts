import type { WorkspaceTx } from "../workspace/with-workspace";

export type ListEndpointsOptions = { workspaceId: string };

/** The workspace's endpoints (not the deleted ones), newest first, with what a list shows. */
export async function listEndpoints(tx: WorkspaceTx, options: ListEndpointsOptions) {
  return tx.endpoint.findMany({
    where: { workspaceId: options.workspaceId, deletedAt: null },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      enabled: true,
      secretLast4: true,
      createdAt: true,
      _count: { select: { deliveries: true } },
      events: { where: { enabled: true }, select: { eventType: true } },
    },
  });
}
