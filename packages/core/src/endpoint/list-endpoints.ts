import type { DbClient } from "@hookloop/db/client";

/** The workspace's endpoints, newest first, with what a list shows. Run inside withWorkspace. */
export async function listEndpoints(tx: DbClient, options: { workspaceId: string }) {
  return tx.endpoint.findMany({
    where: { workspaceId: options.workspaceId },
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
