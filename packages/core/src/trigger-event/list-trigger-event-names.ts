import type { WorkspaceTx } from "../workspace/with-workspace";

export type ListTriggerEventNamesOptions = { workspaceId: string; limit?: number };

/** The names the workspace's trigger events carry, A to Z: what the Events page filters by. */
export async function listTriggerEventNames(tx: WorkspaceTx, options: ListTriggerEventNamesOptions): Promise<string[]> {
  const rows = await tx.triggerEvent.findMany({
    where: { workspaceId: options.workspaceId },
    distinct: ["name"],
    select: { name: true },
    orderBy: { name: "asc" },
    take: Math.min(Math.max(options.limit ?? 100, 1), 500),
  });
  return rows.map((row) => row.name);
}
