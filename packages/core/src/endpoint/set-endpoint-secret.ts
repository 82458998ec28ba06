import type { DbClient } from "@hookloop/db/client";
import { signingSecretSchema } from "@hookloop/domain";
import type { SecretBox } from "@hookloop/secrets";
import { InvalidInputError, NotFoundError } from "../errors";
import { secretAssociatedData } from "./endpoint-secrets";

/** How long the secret replaced by a rotation keeps verifying, so in-flight retries still pass. */
export const SECRET_ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

export type SetEndpointSecretOptions = {
  workspaceId: string;
  endpointId: string;
  secret: string;
  now?: Date;
};

/** Stores a pasted signing secret, encrypted; the one it replaces stays valid for 24 hours. */
export async function setEndpointSecret(db: DbClient, box: SecretBox, options: SetEndpointSecretOptions) {
  const parsed = signingSecretSchema.safeParse(options.secret);
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues[0]?.message ?? "Invalid signing secret.", "secret");
  const secret = parsed.data;
  const now = options.now ?? new Date();
  const endpoint = await db.endpoint.findFirst({
    where: { id: options.endpointId, workspaceId: options.workspaceId },
    select: { secretCiphertext: true },
  });
  if (!endpoint) throw new NotFoundError("endpoint");
  const rotatingOut = endpoint.secretCiphertext;
  return db.endpoint.update({
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
