import type { SecretBox } from "@hookloop/secrets";

/**
 * A connection's Stripe key is sealed like the endpoint's signing secret, bound to its workspace
 * and endpoint (and told apart from the signing secret), so a ciphertext copied elsewhere does not decrypt.
 */
export function stripeKeyAssociatedData(workspaceId: string, endpointId: string): string {
  return `stripe-key:${workspaceId}:${endpointId}`;
}

export function openStripeKey(
  box: SecretBox,
  connection: { workspaceId: string; endpointId: string; keyCiphertext: string },
): string {
  return box.decrypt(connection.keyCiphertext, stripeKeyAssociatedData(connection.workspaceId, connection.endpointId));
}
