import { SECRET_ROTATION_GRACE_MS, graceEndsAt, rotationDropsSecretInGrace } from "@hookloop/domain";
import type { SecretBox } from "@hookloop/secrets";
import { recordAudit, type AuditActor } from "../audit/record-audit";
import { NotFoundError, SecretInGraceError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";
import { newDestinationSecret } from "./destination-secret";
import { destinationSecretAssociatedData } from "./destination-secrets";

/** How long the secret a rotation replaces keeps signing alongside the new one. */
export const destinationSecretOverlapMs = SECRET_ROTATION_GRACE_MS;

export type RotateDestinationSecretOptions = {
  workspaceId: string;
  destinationId: string;
  box: SecretBox;
  /**
   * When the secret the last rotation replaced stops signing, as the caller was told: the
   * confirmation that this rotation may drop it now. Without it, or for another one, a secret still
   * signing is refused with SecretInGraceError.
   */
  dropSecretSigningUntil?: Date;
  now?: Date;
  /** Who rotates it, for the audit log. */
  actor?: AuditActor;
};

/**
 * Gives the destination a new signing secret; the one it replaces keeps signing alongside for 24
 * hours, so a receiver still holding it keeps verifying while it is updated. One secret rotates
 * out at a time: a second rotation within those 24 hours keeps the secret it replaces (the one a
 * receiver most likely holds by then) for a fresh 24 hours and drops the older one at once, which
 * it does only when `dropSecretSigningUntil` confirms it. `droppedSecretExpiresAt` says when that
 * older one would have stopped, so the page can say so.
 */
export async function rotateDestinationSecret(tx: WorkspaceTx, options: RotateDestinationSecretOptions) {
  const { workspaceId, destinationId, box } = options;
  const now = options.now ?? new Date();
  const row = await tx.destination.findFirst({
    where: { id: destinationId, workspaceId },
    select: { id: true, name: true, secretCiphertext: true, previousSecretCiphertext: true, previousSecretExpiresAt: true },
  });
  if (!row) throw new NotFoundError("destination");
  const aad = destinationSecretAssociatedData(workspaceId, destinationId);
  const { previousSecretCiphertext: replaced, previousSecretExpiresAt: signingUntil } = row;
  const dropping = replaced && signingUntil && rotationDropsSecretInGrace(signingUntil, now) ? { replaced, signingUntil } : null;
  if (dropping && options.dropSecretSigningUntil?.getTime() !== dropping.signingUntil.getTime()) {
    throw new SecretInGraceError(box.decrypt(dropping.replaced, aad).slice(-4), dropping.signingUntil);
  }
  const secret = newDestinationSecret();
  const previousSecretExpiresAt = graceEndsAt(now);
  await tx.destination.update({
    where: { id: row.id },
    data: {
      secretCiphertext: box.encrypt(secret, aad),
      // Re-sealed rather than copied, so it is under the current encryption key like the new one.
      previousSecretCiphertext: box.encrypt(box.decrypt(row.secretCiphertext, aad), aad),
      previousSecretExpiresAt,
    },
  });
  await recordAudit(tx, {
    workspaceId,
    actor: options.actor,
    action: "destination.secret_rotated",
    target: { type: "destination", id: row.id, label: row.name },
    details: {
      previousSigningUntil: previousSecretExpiresAt.toISOString(),
      ...(dropping ? { droppedSecretInGrace: true } : {}),
    },
  });
  return { secret, previousSecretExpiresAt, droppedSecretExpiresAt: dropping?.signingUntil ?? null };
}
