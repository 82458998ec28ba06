import type { Db } from "@hookloop/db/client";

/** The workspace an endpoint belongs to, found without naming a workspace first (for operators). */
export async function findEndpointWorkspace(db: Db, endpointId: string): Promise<string | null> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('app.endpoint_id', ${endpointId}, true)`;
    const endpoint = await tx.endpoint.findUnique({ where: { id: endpointId }, select: { workspaceId: true } });
    return endpoint?.workspaceId ?? null;
  });
}
