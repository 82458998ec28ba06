import { expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { NotFoundError } from "../errors";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { createDestination } from "./create-destination";
import { activeDestinationSecrets } from "./destination-secrets";
import { destinationSecretOverlapMs, rotateDestinationSecret } from "./rotate-destination-secret";

const hour = 60 * 60 * 1000;

test("a rotated secret keeps signing alongside the new one for 24 hours, then stops", async ({ appDb, db, box }) => {
  const workspace = await createWorkspace(appDb, { name: "Acme" });
  const inWorkspace = <T>(work: Parameters<typeof withWorkspace<T>>[2]) => withWorkspace(appDb, workspace.id, work);
  const created = await inWorkspace((tx) =>
    createDestination(tx, {
      box,
      workspaceId: workspace.id,
      name: "CRM",
      url: "https://crm.example/hooks",
      triggers: "all",
      contactChanges: false,
      allowPrivateTargets: false,
    }),
  );
  const now = new Date();
  const rotated = await inWorkspace((tx) =>
    rotateDestinationSecret(tx, { workspaceId: workspace.id, destinationId: created.id, box, now }),
  );
  expect(rotated.secret).toMatch(/^whsec_/);
  expect(rotated.secret).not.toBe(created.secret);
  expect(rotated.previousSecretExpiresAt.getTime()).toBe(now.getTime() + destinationSecretOverlapMs);
  expect(rotated.droppedSecretExpiresAt).toBeNull();

  const row = await db.destination.findUniqueOrThrow({ where: { id: created.id } });
  expect(activeDestinationSecrets(row, box, new Date(now.getTime() + 23 * hour))).toEqual([rotated.secret, created.secret]);
  expect(activeDestinationSecrets(row, box, new Date(now.getTime() + 25 * hour))).toEqual([rotated.secret]);
});

test("a second rotation within 24 hours keeps the secret it replaces and drops the older one, and says when that one would have stopped", async ({
  appDb,
  db,
  box,
}) => {
  const workspace = await createWorkspace(appDb, { name: "Acme" });
  const inWorkspace = <T>(work: Parameters<typeof withWorkspace<T>>[2]) => withWorkspace(appDb, workspace.id, work);
  const created = await inWorkspace((tx) =>
    createDestination(tx, {
      box,
      workspaceId: workspace.id,
      name: "CRM",
      url: "https://crm.example/hooks",
      triggers: "all",
      contactChanges: false,
      allowPrivateTargets: false,
    }),
  );
  const first = new Date();
  const once = await inWorkspace((tx) =>
    rotateDestinationSecret(tx, { workspaceId: workspace.id, destinationId: created.id, box, now: first }),
  );
  const second = new Date(first.getTime() + hour);
  const twice = await inWorkspace((tx) =>
    rotateDestinationSecret(tx, { workspaceId: workspace.id, destinationId: created.id, box, now: second }),
  );
  expect(twice.droppedSecretExpiresAt).toEqual(once.previousSecretExpiresAt);
  expect(twice.previousSecretExpiresAt.getTime()).toBe(second.getTime() + destinationSecretOverlapMs);

  const row = await db.destination.findUniqueOrThrow({ where: { id: created.id } });
  const signing = activeDestinationSecrets(row, box, new Date(second.getTime() + 1000));
  expect(signing).toEqual([twice.secret, once.secret]);
  expect(signing).not.toContain(created.secret);

  const other = await createWorkspace(appDb, { name: "Other" });
  await expect(
    withWorkspace(appDb, other.id, (tx) =>
      rotateDestinationSecret(tx, { workspaceId: other.id, destinationId: created.id, box }),
    ),
  ).rejects.toThrow(NotFoundError);
});
