import { SECRET_ROTATION_GRACE_MS, graceEndsAt, rotationDropsSecretInGrace, signingSecretSchema } from "@hookloop/domain";
import type { SecretBox } from "@hookloop/secrets";
import { recordAudit, type AuditActor } from "../audit/record-audit";
import { InvalidInputError, NotFoundError, SecretInGraceError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";
import { secretAssociatedData } from "./endpoint-secrets";

export { SECRET_ROTATION_GRACE_MS };

export type SetEndpointSecretOptions = {
  workspaceId: string;
  /** Seals the secret. */
  box: SecretBox;
  endpointId: string;
  secret: string;
  /**
   * When the secret the last rotation replaced stops being accepted, as the caller was told: the
   * confirmation that this rotation may drop it now. Without it, or for another one, a secret still
   * in its grace is refused with SecretInGraceError.
   */
  dropSecretAcceptedUntil?: Date;
  now?: Date;
  /** Who sets it, for the audit log. */
  actor?: AuditActor;
  /** False when a caller records the change itself (createEndpoint's "endpoint.created"). */
  audited?: boolean;
};

/**
 * Stores a pasted signing secret, encrypted; the one it replaces stays valid for 24 hours. Only one
 * replaced secret is kept, so a second rotation inside those 24 hours drops the first one's (often
 * the secret Stripe still signs with): it needs `dropSecretAcceptedUntil` to say so.
 */
export async function setEndpointSecret(tx: WorkspaceTx, options: SetEndpointSecretOptions) {
  const { box } = options;
  const parsed = signingSecretSchema.safeParse(options.secret);
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues[0]?.message ?? "Invalid signing secret.", "secret");
  const secret = parsed.data;
  const now = options.now ?? new Date();
  const endpoint = await tx.endpoint.findFirst({
    where: { id: options.endpointId, workspaceId: options.workspaceId },
    select: { name: true, secretCiphertext: true, previousSecretCiphertext: true, previousSecretExpiresAt: true },
  });
  if (!endpoint) throw new NotFoundError("endpoint");
  const aad = secretAssociatedData(options.workspaceId, options.endpointId);
  const { previousSecretCiphertext: replaced, previousSecretExpiresAt: acceptedUntil } = endpoint;
  if (
    replaced &&
    acceptedUntil &&
    rotationDropsSecretInGrace(acceptedUntil, now) &&
    options.dropSecretAcceptedUntil?.getTime() !== acceptedUntil.getTime()
  ) {
    throw new SecretInGraceError(box.decrypt(replaced, aad).slice(-4), acceptedUntil);
  }
  const rotatingOut = endpoint.secretCiphertext;
  const saved = await tx.endpoint.update({
    where: { id: options.endpointId },
    data: {
      secretCiphertext: box.encrypt(secret, aad),
      secretLast4: secret.slice(-4),
      previousSecretCiphertext: rotatingOut,
      previousSecretExpiresAt: rotatingOut ? graceEndsAt(now) : null,
    },
    select: { id: true, secretLast4: true, previousSecretExpiresAt: true },
  });
  if (options.audited !== false) {
    await recordAudit(tx, {
      workspaceId: options.workspaceId,
      actor: options.actor,
      action: rotatingOut ? "endpoint.secret_rotated" : "endpoint.secret_set",
      target: { type: "endpoint", id: options.endpointId, label: endpoint.name },
      details: {
        secretLast4: saved.secretLast4,
        previousAcceptedUntil: saved.previousSecretExpiresAt?.toISOString() ?? null,
        ...(options.dropSecretAcceptedUntil ? { droppedSecretInGrace: true } : {}),
      },
    });
  }
  return saved;
}
