import type { Db } from "@hookloop/db/client";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type ListDestinationsOptions = { workspaceId: string };

/** A workspace's destinations, oldest first, without their secrets. */
export async function listDestinations(tx: WorkspaceTx, options: ListDestinationsOptions) {
  const rows = await tx.destination.findMany({
    where: { workspaceId: options.workspaceId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      name: true,
      url: true,
      enabled: true,
      pausedAt: true,
      pausedReason: true,
      allTriggers: true,
      triggerNames: true,
      contactChanges: true,
      lastSuccessAt: true,
      createdAt: true,
    },
  });
  return rows.map(({ allTriggers, triggerNames, ...row }) => ({
    ...row,
    triggers: allTriggers ? ("all" as const) : triggerNames,
  }));
}

export type FindDestinationWorkspaceOptions = { destinationId: string };

/**
 * The workspace a destination belongs to, found without naming a workspace first (for operators):
 * the client, not a WorkspaceTx, since the workspace is what it finds.
 */
export async function findDestinationWorkspace(db: Db, options: FindDestinationWorkspaceOptions): Promise<string | null> {
  const { destinationId } = options;
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('app.destination_id', ${destinationId}, true)`;
    const destination = await tx.destination.findUnique({ where: { id: destinationId }, select: { workspaceId: true } });
    return destination?.workspaceId ?? null;
  });
}
