import type { SecretBox } from "@hookloop/secrets";

/** Ciphertexts are bound to their workspace and endpoint; a copy on another row does not decrypt. */
export function secretAssociatedData(workspaceId: string, endpointId: string): string {
  return `endpoint-secret:${workspaceId}:${endpointId}`;
}

type EndpointSecretColumns = {
  id: string;
  workspaceId: string;
  secretCiphertext: string | null;
  previousSecretCiphertext: string | null;
  previousSecretExpiresAt: Date | null;
};

/** The secrets a signature may be made with right now: the current one, then one still rotating out. */
export function activeSigningSecrets(endpoint: EndpointSecretColumns, box: SecretBox, now = new Date()): string[] {
  const aad = secretAssociatedData(endpoint.workspaceId, endpoint.id);
  const secrets: string[] = [];
  if (endpoint.secretCiphertext) secrets.push(box.decrypt(endpoint.secretCiphertext, aad));
  if (endpoint.previousSecretCiphertext && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
    secrets.push(box.decrypt(endpoint.previousSecretCiphertext, aad));
  }
  return secrets;
}
