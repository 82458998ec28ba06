import { recordAudit, type AuditActor } from "../audit/record-audit";
import { NotFoundError } from "../errors";
import { requireUuid } from "../ids";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type RevokeApiKeyOptions = {
  workspaceId: string;
  apiKeyId: string;
  /** Who revokes it, for the audit log. */
  actor?: AuditActor;
};

/** Revokes a key at once: the next request with it is answered 401. Revoking it again changes nothing. */
export async function revokeApiKey(tx: WorkspaceTx, options: RevokeApiKeyOptions) {
  requireUuid(options.apiKeyId, "API key");
  const key = await tx.apiKey.findFirst({
    where: { id: options.apiKeyId, workspaceId: options.workspaceId },
    select: { id: true, name: true, prefix: true, revokedAt: true },
  });
  if (!key) throw new NotFoundError("API key");
  if (key.revokedAt) return { id: key.id, revokedAt: key.revokedAt };
  const revoked = await tx.apiKey.update({
    where: { id: key.id },
    data: { revokedAt: new Date() },
    select: { id: true, revokedAt: true },
  });
  await recordAudit(tx, {
    workspaceId: options.workspaceId,
    actor: options.actor,
    action: "api_key.revoked",
    target: { type: "api_key", id: key.id, label: key.name },
    details: { prefix: key.prefix },
  });
  return revoked;
}
