import type { Db } from "@hookloop/db/client";
import { SecretBox } from "@hookloop/secrets";
import { withWorkspace } from "../workspace/with-workspace";
import { destinationSecretAssociatedData } from "./destination-secrets";

export type RotateDestinationSecretsKeyOptions = {
  /** The keyring: its current key seals, any of its keys opens. */
  box: SecretBox;
};

/**
 * Re-encrypts every destination signing secret under the keyring's current key, workspace by
 * workspace, as rotateEncryptionKey does for endpoint secrets (the CLI's secrets:rotate-key runs
 * both), so an old key can then be removed from ENCRYPTION_KEYS. Safe to run again. Returns how
 * many destinations it re-encrypted.
 */
export async function rotateDestinationSecretsKey(db: Db, options: RotateDestinationSecretsKeyOptions): Promise<number> {
  const { box } = options;
  let reencrypted = 0;
  const workspaces = await db.workspace.findMany({ select: { id: true } });
  for (const { id: workspaceId } of workspaces) {
    reencrypted += await withWorkspace(db, workspaceId, async (tx) => {
      const destinations = await tx.destination.findMany({
        select: { id: true, secretCiphertext: true, previousSecretCiphertext: true },
      });
      let count = 0;
      for (const destination of destinations) {
        const aad = destinationSecretAssociatedData(workspaceId, destination.id);
        const reseal = <Ciphertext extends string | null>(ciphertext: Ciphertext): Ciphertext =>
          ciphertext && SecretBox.keyIdOf(ciphertext) !== box.currentKeyId
            ? (box.encrypt(box.decrypt(ciphertext, aad), aad) as Ciphertext)
            : ciphertext;
        const secretCiphertext = reseal(destination.secretCiphertext);
        const previousSecretCiphertext = reseal(destination.previousSecretCiphertext);
        if (
          secretCiphertext === destination.secretCiphertext &&
          previousSecretCiphertext === destination.previousSecretCiphertext
        ) {
          continue;
        }
        await tx.destination.update({ where: { id: destination.id }, data: { secretCiphertext, previousSecretCiphertext } });
        count++;
      }
      return count;
    });
  }
  return reencrypted;
}
