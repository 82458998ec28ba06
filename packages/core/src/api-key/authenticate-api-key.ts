import type { Db } from "@hookloop/db/client";
import { withWorkspace } from "../workspace/with-workspace";
import { z } from "zod";
import { API_KEY_PREFIX, hashApiKey } from "./api-key-secret";

export type ApiKeyIdentity = { apiKeyId: string; workspaceId: string; readOnly: boolean };

export type AuthenticateApiKeyResult = { ok: true; identity: ApiKeyIdentity } | { ok: false; reason: "unknown" | "revoked" };

/** What hookloop_api_key returns: the key, or null when no key has this hash. */
const storedKeySchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    readOnly: z.boolean(),
    lastUsedAt: z.iso.datetime({ offset: true }).nullable(),
    revokedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .nullable();

/** How stale `last used` may get: one write a minute per key at most, however busy the key is. */
const lastUsedResolutionMs = 60_000;

/** The longest key worth hashing: ours are 51 characters; anything far longer is not one. */
const maxKeyLength = 200;

/**
 * The workspace and scope of a bearer key, in one lookup by its hash on the unique index. The
 * client, not a WorkspaceTx: the workspace is what it finds (through hookloop_api_key, which row-level
 * security lets read the one key with that hash). `last used` is written in a transaction of its
 * own, at most once a minute per key.
 */
export async function authenticateApiKey(db: Db, key: string): Promise<AuthenticateApiKeyResult> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > maxKeyLength) return { ok: false, reason: "unknown" };
  const rows = await db.$queryRaw<Array<{ key: unknown }>>`SELECT hookloop_api_key(${hashApiKey(key)}) AS key`;
  const stored = storedKeySchema.parse(rows[0]?.key ?? null);
  if (!stored) return { ok: false, reason: "unknown" };
  if (stored.revokedAt) return { ok: false, reason: "revoked" };
  const identity = { apiKeyId: stored.id, workspaceId: stored.workspaceId, readOnly: stored.readOnly };
  if (!stored.lastUsedAt || Date.now() - new Date(stored.lastUsedAt).getTime() > lastUsedResolutionMs) {
    await withWorkspace(db, stored.workspaceId, (tx) =>
      tx.apiKey.updateMany({ where: { id: stored.id, revokedAt: null }, data: { lastUsedAt: new Date() } }),
    );
  }
  return { ok: true, identity };
}
