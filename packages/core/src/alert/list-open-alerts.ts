import type { WorkspaceTx } from "../workspace/with-workspace";

export type ListOpenAlertsOptions = { workspaceId: string; subjectId: string };

/** The alerts open for one endpoint or destination, oldest first: what its page's banner shows. */
export function listOpenAlerts(tx: WorkspaceTx, options: ListOpenAlertsOptions) {
  return tx.alert.findMany({
    where: { workspaceId: options.workspaceId, subjectId: options.subjectId, resolvedAt: null },
    orderBy: { openedAt: "asc" },
    select: { id: true, kind: true, subjectLabel: true, details: true, openedAt: true },
  });
}
