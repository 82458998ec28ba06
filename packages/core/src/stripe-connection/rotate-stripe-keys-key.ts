import type { Db } from "@hookloop/db/client";
import { SecretBox } from "@hookloop/secrets";
import { withWorkspace } from "../workspace/with-workspace";
import { stripeKeyAssociatedData } from "./stripe-connection-secret";

export type RotateStripeKeysKeyOptions = { box: SecretBox };

/**
 * Re-seals every Stripe connection key not sealed under the keyring's current key, as
 * `secrets:rotate-key` does for signing secrets; returns how many it re-sealed.
 */
export async function rotateStripeKeysKey(db: Db, options: RotateStripeKeysKeyOptions): Promise<number> {
  const { box } = options;
  const workspaces = await db.workspace.findMany({ select: { id: true } });
  let count = 0;
  for (const { id: workspaceId } of workspaces) {
    count += await withWorkspace(db, workspaceId, async (tx) => {
      const connections = await tx.stripeConnection.findMany({
        where: { workspaceId },
        select: { endpointId: true, keyCiphertext: true },
      });
      let resealed = 0;
      for (const connection of connections) {
        if (SecretBox.keyIdOf(connection.keyCiphertext) === box.currentKeyId) continue;
        const aad = stripeKeyAssociatedData(workspaceId, connection.endpointId);
        await tx.stripeConnection.update({
          where: { endpointId: connection.endpointId },
          data: { keyCiphertext: box.encrypt(box.decrypt(connection.keyCiphertext, aad), aad) },
        });
        resealed++;
      }
      return resealed;
    });
  }
  return count;
}
