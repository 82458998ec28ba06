import type { Db } from "@hookloop/db/client";
import { SecretBox } from "@hookloop/secrets";
import { withWorkspace } from "../workspace/with-workspace";
import { secretAssociatedData } from "./endpoint-secrets";

export type RotateEncryptionKeyOptions = {
  /** The keyring: its current key seals, any of its keys opens. */
  box: SecretBox;
};

/**
 * Re-encrypts every stored signing secret under the keyring's current key, workspace by
 * workspace, so an old key can then be removed from ENCRYPTION_KEYS. Safe to run again. Takes the
 * client: it walks every workspace, each in a withWorkspace of its own.
 */
export async function rotateEncryptionKey(db: Db, options: RotateEncryptionKeyOptions) {
  const { box } = options;
  let reencrypted = 0;
  const workspaces = await db.workspace.findMany({ select: { id: true } });
  for (const { id: workspaceId } of workspaces) {
    reencrypted += await withWorkspace(db, workspaceId, async (tx) => {
      const endpoints = await tx.endpoint.findMany({
        select: { id: true, secretCiphertext: true, previousSecretCiphertext: true },
      });
      let count = 0;
      for (const endpoint of endpoints) {
        const aad = secretAssociatedData(workspaceId, endpoint.id);
        const reseal = (ciphertext: string | null) =>
          ciphertext && SecretBox.keyIdOf(ciphertext) !== box.currentKeyId
            ? box.encrypt(box.decrypt(ciphertext, aad), aad)
            : ciphertext;
        const secretCiphertext = reseal(endpoint.secretCiphertext);
        const previousSecretCiphertext = reseal(endpoint.previousSecretCiphertext);
        if (secretCiphertext === endpoint.secretCiphertext && previousSecretCiphertext === endpoint.previousSecretCiphertext)
          continue;
        await tx.endpoint.update({ where: { id: endpoint.id }, data: { secretCiphertext, previousSecretCiphertext } });
        count++;
      }
      return count;
    });
  }
  return { currentKeyId: box.currentKeyId, endpointsReencrypted: reencrypted };
}
