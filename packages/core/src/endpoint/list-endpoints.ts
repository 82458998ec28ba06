import { supportedEventTypes } from "@hookloop/domain";
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
      // The Stripe events it takes (subscription-change settings sit beside them, and are not Stripe's).
      events: { where: { enabled: true, eventType: { in: supportedEventTypes } }, select: { eventType: true } },
    },
  });
}
