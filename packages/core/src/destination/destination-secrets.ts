import type { SecretBox } from "@hookloop/secrets";

/** Ciphertexts are bound to their workspace and destination; a copy on another row does not decrypt. */
export function destinationSecretAssociatedData(workspaceId: string, destinationId: string): string {
  return `destination-secret:${workspaceId}:${destinationId}`;
}

type DestinationSecretColumns = {
  id: string;
  workspaceId: string;
  secretCiphertext: string;
  previousSecretCiphertext: string | null;
  previousSecretExpiresAt: Date | null;
};

/** The secrets a message is signed with right now: the current one, then one still rotating out. */
export function activeDestinationSecrets(destination: DestinationSecretColumns, box: SecretBox, now = new Date()): string[] {
  const aad = destinationSecretAssociatedData(destination.workspaceId, destination.id);
  const secrets = [box.decrypt(destination.secretCiphertext, aad)];
  if (destination.previousSecretCiphertext && destination.previousSecretExpiresAt && destination.previousSecretExpiresAt > now) {
    secrets.push(box.decrypt(destination.previousSecretCiphertext, aad));
  }
  return secrets;
}
