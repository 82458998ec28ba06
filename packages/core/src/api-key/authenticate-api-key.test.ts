import { expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { hashApiKey } from "./api-key-secret";
import { authenticateApiKey } from "./authenticate-api-key";
import { createApiKey } from "./create-api-key";
import { listApiKeys } from "./list-api-keys";
import { revokeApiKey } from "./revoke-api-key";

test("a key is shown once, stored as its hash only, and names its workspace and scope", async ({ appDb, db }) => {
  const workspace = await createWorkspace(appDb, { name: "Acme" });
  const created = await withWorkspace(appDb, workspace.id, (tx) =>
    createApiKey(tx, { workspaceId: workspace.id, name: " Backend ", readOnly: true }),
  );
  expect(created.key).toMatch(/^hl_live_[A-Za-z0-9_-]{43}$/);
  expect(created).toMatchObject({ name: "Backend", prefix: created.key.slice(0, 12), readOnly: true });

  const stored = await db.apiKey.findUniqueOrThrow({ where: { id: created.id } });
  expect(stored.keyHash).toBe(hashApiKey(created.key));
  expect(JSON.stringify(stored)).not.toContain(created.key.slice(12));

  expect(await authenticateApiKey(appDb, created.key)).toEqual({
    ok: true,
    identity: { apiKeyId: created.id, workspaceId: workspace.id, readOnly: true },
  });
  expect((await db.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).not.toBeNull();
});

test("an unknown, malformed or revoked key is refused, and revoking takes effect at once", async ({ appDb }) => {
  const workspace = await createWorkspace(appDb, { name: "Acme" });
  const inWorkspace = <T>(work: Parameters<typeof withWorkspace<T>>[2]) => withWorkspace(appDb, workspace.id, work);
  const created = await inWorkspace((tx) => createApiKey(tx, { workspaceId: workspace.id, name: "CI", readOnly: false }));

  expect(await authenticateApiKey(appDb, `${created.key.slice(0, -1)}x`)).toEqual({ ok: false, reason: "unknown" });
  expect(await authenticateApiKey(appDb, "sk_live_whatever")).toEqual({ ok: false, reason: "unknown" });
  expect(await authenticateApiKey(appDb, "")).toEqual({ ok: false, reason: "unknown" });

  await inWorkspace((tx) => revokeApiKey(tx, { workspaceId: workspace.id, apiKeyId: created.id }));
  expect(await authenticateApiKey(appDb, created.key)).toEqual({ ok: false, reason: "revoked" });
  const [listed] = await inWorkspace((tx) => listApiKeys(tx, { workspaceId: workspace.id }));
  expect(listed).toMatchObject({ id: created.id, prefix: created.prefix, revokedAt: expect.any(Date) });
  expect(listed).not.toHaveProperty("keyHash");
});

test("another workspace can neither list nor revoke a key", async ({ appDb }) => {
  const owner = await createWorkspace(appDb, { name: "Acme" });
  const other = await createWorkspace(appDb, { name: "Other" });
  const created = await withWorkspace(appDb, owner.id, (tx) =>
    createApiKey(tx, { workspaceId: owner.id, name: "CI", readOnly: false }),
  );
  expect(await withWorkspace(appDb, other.id, (tx) => listApiKeys(tx, { workspaceId: other.id }))).toEqual([]);
  // Even naming the other workspace's id inside this one: row-level security admits none of its rows.
  expect(await withWorkspace(appDb, other.id, (tx) => listApiKeys(tx, { workspaceId: owner.id }))).toEqual([]);
  await expect(
    withWorkspace(appDb, other.id, (tx) => revokeApiKey(tx, { workspaceId: other.id, apiKeyId: created.id })),
  ).rejects.toThrow("API key not found");
  expect(await authenticateApiKey(appDb, created.key)).toMatchObject({ ok: true });
});
