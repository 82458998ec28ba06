import { signingSecretSchema } from "@hookloop/domain";
import type { SecretBox } from "@hookloop/secrets";
import { InvalidInputError, NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";
import { secretAssociatedData } from "./endpoint-secrets";

/** How long the secret replaced by a rotation keeps verifying, so in-flight retries still pass. */
export const SECRET_ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

export type SetEndpointSecretOptions = {
  workspaceId: string;
  /** Seals the secret. */
  box: SecretBox;
  endpointId: string;
  secret: string;
  now?: Date;
};

/** Stores a pasted signing secret, encrypted; the one it replaces stays valid for 24 hours. */
export async function setEndpointSecret(tx: WorkspaceTx, options: SetEndpointSecretOptions) {
  const { box } = options;
  const parsed = signingSecretSchema.safeParse(options.secret);
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues[0]?.message ?? "Invalid signing secret.", "secret");
  const secret = parsed.data;
  const now = options.now ?? new Date();
  const endpoint = await tx.endpoint.findFirst({
    where: { id: options.endpointId, workspaceId: options.workspaceId },
    select: { secretCiphertext: true },
  });
  if (!endpoint) throw new NotFoundError("endpoint");
  const rotatingOut = endpoint.secretCiphertext;
  return tx.endpoint.update({
    where: { id: options.endpointId },
    data: {
      secretCiphertext: box.encrypt(secret, secretAssociatedData(options.workspaceId, options.endpointId)),
      secretLast4: secret.slice(-4),
      previousSecretCiphertext: rotatingOut,
      previousSecretExpiresAt: rotatingOut ? new Date(now.getTime() + SECRET_ROTATION_GRACE_MS) : null,
    },
    select: { id: true, secretLast4: true, previousSecretExpiresAt: true },
  });
}
