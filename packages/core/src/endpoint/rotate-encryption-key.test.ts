import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { SecretBox, parseKeyring } from "@hookloop/secrets";
import { newTestSigningSecret } from "@hookloop/testing";
import { test } from "@hookloop/testing/fixtures";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { createEndpoint } from "./create-endpoint";
import { activeSigningSecrets } from "./endpoint-secrets";
import { rotateEncryptionKey } from "./rotate-encryption-key";
import { setEndpointSecret } from "./set-endpoint-secret";

// As the CLI runs it: through the hookloop_app role.
test("re-encrypts every secret under the new key, after which the old key can go", async ({ appDb: db }) => {
  const oldKey = `old:${randomBytes(32).toString("base64")}`;
  const newKey = `new:${randomBytes(32).toString("base64")}`;
  const before = new SecretBox(parseKeyring(oldKey));
  const workspaces = [await createWorkspace(db, { name: "A" }), await createWorkspace(db, { name: "B" })];
  const secrets = new Map<string, string[]>();
  for (const workspace of workspaces) {
    const current = newTestSigningSecret();
    const previous = newTestSigningSecret();
    const endpoint = await withWorkspace(db, workspace.id, async (tx) => {
      const created = await createEndpoint(tx, { box: before, workspaceId: workspace.id, name: "Stripe", secret: previous });
      await setEndpointSecret(tx, { box: before, workspaceId: workspace.id, endpointId: created.id, secret: current });
      return created;
    });
    secrets.set(endpoint.id, [current, previous]);
  }

  const during = new SecretBox(parseKeyring(`${newKey},${oldKey}`));
  expect(await rotateEncryptionKey(db, { box: during })).toEqual({ currentKeyId: "new", endpointsReencrypted: 2 });
  expect(await rotateEncryptionKey(db, { box: during })).toEqual({ currentKeyId: "new", endpointsReencrypted: 0 });

  const after = new SecretBox(parseKeyring(newKey));
  for (const workspace of workspaces) {
    const endpoints = await withWorkspace(db, workspace.id, (tx) => tx.endpoint.findMany());
    for (const endpoint of endpoints) {
      expect(endpoint.secretCiphertext).toMatch(/^v1\.new\./);
      expect(activeSigningSecrets(endpoint, after)).toEqual(secrets.get(endpoint.id));
    }
  }
});
