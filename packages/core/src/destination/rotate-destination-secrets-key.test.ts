import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { SecretBox, parseKeyring } from "@hookloop/secrets";
import { test } from "@hookloop/testing/fixtures";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { createDestination } from "./create-destination";
import { activeDestinationSecrets } from "./destination-secrets";
import { rotateDestinationSecretsKey } from "./rotate-destination-secrets-key";

// As the CLI runs it: through the hookloop_app role.
test("re-encrypts every destination secret under the new key, after which the old key can go", async ({ appDb: db }) => {
  const oldKey = `old:${randomBytes(32).toString("base64")}`;
  const newKey = `new:${randomBytes(32).toString("base64")}`;
  const before = new SecretBox(parseKeyring(oldKey));
  const secrets = new Map<string, { workspaceId: string; secret: string }>();
  for (const name of ["A", "B"]) {
    const workspace = await createWorkspace(db, { name });
    const created = await withWorkspace(db, workspace.id, (tx) =>
      createDestination(tx, {
        box: before,
        workspaceId: workspace.id,
        name: "CRM",
        url: "https://127.0.0.1:9/hooks",
        triggers: "all",
        contactChanges: false,
        allowPrivateTargets: true,
      }),
    );
    secrets.set(created.id, { workspaceId: workspace.id, secret: created.secret });
  }

  const during = new SecretBox(parseKeyring(`${newKey},${oldKey}`));
  expect(await rotateDestinationSecretsKey(db, { box: during })).toBe(2);
  expect(await rotateDestinationSecretsKey(db, { box: during })).toBe(0);

  const after = new SecretBox(parseKeyring(newKey));
  for (const [id, { workspaceId, secret }] of secrets) {
    const destination = await withWorkspace(db, workspaceId, (tx) => tx.destination.findUniqueOrThrow({ where: { id } }));
    expect(destination.secretCiphertext).toMatch(/^v1\.new\./);
    expect(activeDestinationSecrets(destination, after)).toEqual([secret]);
  }
});
