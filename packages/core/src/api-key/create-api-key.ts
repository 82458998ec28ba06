import { recordAudit, type AuditActor } from "../audit/record-audit";
import { InvalidInputError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";
import { newApiKeySecret } from "./api-key-secret";

export type CreateApiKeyOptions = {
  workspaceId: string;
  name: string;
  /** A read-only key may read everything of its workspace through the API and change nothing. */
  readOnly: boolean;
  /** Who makes it, for the audit log. */
  actor?: AuditActor;
};

/** Makes a key and returns it in full, this once: only its hash is stored. */
export async function createApiKey(tx: WorkspaceTx, options: CreateApiKeyOptions) {
  const name = options.name.trim();
  if (!name) throw new InvalidInputError("Give the key a name.", "name");
  if (name.length > 100) throw new InvalidInputError("Keep the key's name to 100 characters or fewer.", "name");
  const { key, prefix, keyHash } = newApiKeySecret();
  const row = await tx.apiKey.create({
    data: { workspaceId: options.workspaceId, name, prefix, keyHash, readOnly: options.readOnly },
    select: { id: true, name: true, prefix: true, readOnly: true, createdAt: true },
  });
  await recordAudit(tx, {
    workspaceId: options.workspaceId,
    actor: options.actor,
    action: "api_key.created",
    target: { type: "api_key", id: row.id, label: row.name },
    details: { prefix: row.prefix, scope: row.readOnly ? "read-only" : "read-write" },
  });
  return { ...row, key };
}
