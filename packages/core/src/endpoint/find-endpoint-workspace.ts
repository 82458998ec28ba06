import type { Db } from "@hookloop/db/client";

export type FindEndpointWorkspaceOptions = { endpointId: string };

/**
 * The workspace an endpoint belongs to, found without naming a workspace first (for operators):
 * the client, not a WorkspaceTx, since the workspace is what it finds.
 */
export async function findEndpointWorkspace(db: Db, options: FindEndpointWorkspaceOptions): Promise<string | null> {
  const { endpointId } = options;
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('app.endpoint_id', ${endpointId}, true)`;
    const endpoint = await tx.endpoint.findUnique({ where: { id: endpointId }, select: { workspaceId: true } });
    return endpoint?.workspaceId ?? null;
  });
}
