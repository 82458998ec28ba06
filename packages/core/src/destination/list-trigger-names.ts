import type { WorkspaceTx } from "../workspace/with-workspace";

export type ListTriggerNamesOptions = { workspaceId: string };

/**
 * The trigger names a destination can choose from, A to Z: those the workspace's endpoints give
 * their events (fired or not yet) and those its trigger events already carry.
 */
export async function listTriggerNames(tx: WorkspaceTx, options: ListTriggerNamesOptions): Promise<string[]> {
  const { workspaceId } = options;
  const configured = await tx.endpointEvent.findMany({
    where: { workspaceId, triggerName: { not: null } },
    distinct: ["triggerName"],
    select: { triggerName: true },
  });
  const fired = await tx.triggerEvent.findMany({ where: { workspaceId }, distinct: ["name"], select: { name: true }, take: 500 });
  const names = new Set([...configured.map((row) => row.triggerName ?? ""), ...fired.map((row) => row.name)]);
  names.delete("");
  return [...names].sort((a, b) => a.localeCompare(b));
}
