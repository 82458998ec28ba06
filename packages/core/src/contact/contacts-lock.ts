import { createHash } from "node:crypto";

/**
 * The advisory lock that guards a workspace's contacts: every delivery the worker applies holds it
 * shared (hookloop_lock_contact_history), an erasure holds it alone. Derived here only and handed
 * to SQL as a value: 64 bits of sha256("contacts:" + workspace id), as a signed bigint.
 */
export function contactsLockKey(workspaceId: string): bigint {
  return createHash("sha256").update(`contacts:${workspaceId}`).digest().readBigInt64BE(0);
}
