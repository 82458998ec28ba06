import {
  auditActorId,
  auditActorLabel,
  secretInAuditDetails,
  systemActor,
  type AuditAction,
  type AuditActor,
  type AuditDetails,
} from "@hookloop/domain";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type { AuditActor };

export type RecordAuditOptions = {
  workspaceId: string;
  /** Who made the change; an operation called without one is Hookloop's own doing ("Hookloop"). */
  actor?: AuditActor;
  action: AuditAction;
  target: { type: string; id: string; label?: string | null };
  /** A few facts about the change, shown with the entry and exported; never a secret. */
  details?: AuditDetails;
};

/** A programming mistake, not the user's: an entry whose details look like they hold a secret. */
export class SecretInAuditDetailsError extends Error {
  override name = "SecretInAuditDetailsError";
  constructor(readonly path: string) {
    super(`audit details may not hold a secret (${path})`);
  }
}

/**
 * Writes one audit entry in the transaction of the change it records, so the entry and the change
 * commit or roll back together. Every audited operation calls it as its last write. An API key
 * actor without a name is named from its row (the same workspace's, so row-level security admits it).
 */
export async function recordAudit(tx: WorkspaceTx, options: RecordAuditOptions): Promise<void> {
  const details = options.details ?? {};
  const secret = secretInAuditDetails(details);
  if (secret) throw new SecretInAuditDetailsError(secret);
  let actor = options.actor ?? systemActor;
  if (actor.kind === "api_key" && actor.name === undefined) {
    const key = await tx.apiKey.findFirst({ where: { id: actor.apiKeyId }, select: { name: true } });
    if (key) actor = { ...actor, name: key.name };
  }
  await tx.auditEntry.create({
    data: {
      workspaceId: options.workspaceId,
      actorKind: actor.kind,
      actorId: auditActorId(actor),
      actorLabel: auditActorLabel(actor),
      action: options.action,
      targetType: options.target.type,
      targetId: options.target.id,
      targetLabel: options.target.label ?? null,
      details,
    },
  });
}
