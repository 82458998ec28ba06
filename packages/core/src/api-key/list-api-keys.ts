import type { WorkspaceTx } from "../workspace/with-workspace";

export type ListApiKeysOptions = { workspaceId: string };

/** The workspace's keys, newest first, revoked ones included: never the key, only its prefix. */
export async function listApiKeys(tx: WorkspaceTx, options: ListApiKeysOptions) {
  return tx.apiKey.findMany({
    where: { workspaceId: options.workspaceId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, name: true, prefix: true, readOnly: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}
