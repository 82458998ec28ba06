import { randomBytes } from "node:crypto";

/** A destination's signing secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64. */
export function newDestinationSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}
