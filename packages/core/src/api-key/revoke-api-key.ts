import { NotFoundError } from "../errors";
import { requireUuid } from "../ids";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type RevokeApiKeyOptions = { workspaceId: string; apiKeyId: string };

/** Revokes a key at once: the next request with it is answered 401. Revoking it again changes nothing. */
export async function revokeApiKey(tx: WorkspaceTx, options: RevokeApiKeyOptions) {
  requireUuid(options.apiKeyId, "API key");
  const key = await tx.apiKey.findFirst({
    where: { id: options.apiKeyId, workspaceId: options.workspaceId },
    select: { id: true, revokedAt: true },
  });
  if (!key) throw new NotFoundError("API key");
  if (key.revokedAt) return { id: key.id, revokedAt: key.revokedAt };
  return tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() }, select: { id: true, revokedAt: true } });
}
