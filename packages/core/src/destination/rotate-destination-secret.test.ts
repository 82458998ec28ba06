import { expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { NotFoundError } from "../errors";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { activeDestinationSecrets } from "./destination-secrets";
import { destinationSecretOverlapMs, rotateDestinationSecret } from "./rotate-destination-secret";

const hour = 60 * 60 * 1000;

test("a rotated secret keeps signing alongside the new one for 24 hours, then stops", async ({ db, box, newDestination }) => {
  const { workspaceId, destinationId, secret, inWorkspace } = await newDestination();
  const now = new Date();
  const rotated = await inWorkspace((tx) => rotateDestinationSecret(tx, { workspaceId, destinationId, box, now }));
  expect(rotated.secret).toMatch(/^whsec_/);
  expect(rotated.secret).not.toBe(secret);
  expect(rotated.previousSecretExpiresAt.getTime()).toBe(now.getTime() + destinationSecretOverlapMs);
  expect(rotated.droppedSecretExpiresAt).toBeNull();

  const row = await db.destination.findUniqueOrThrow({ where: { id: destinationId } });
  expect(activeDestinationSecrets(row, box, new Date(now.getTime() + 23 * hour))).toEqual([rotated.secret, secret]);
  expect(activeDestinationSecrets(row, box, new Date(now.getTime() + 25 * hour))).toEqual([rotated.secret]);
});

test("a second rotation within 24 hours keeps the secret it replaces and drops the older one, and says when that one would have stopped", async ({
  appDb,
  db,
  box,
  newDestination,
}) => {
  const { workspaceId, destinationId, secret, inWorkspace } = await newDestination();
  const first = new Date();
  const once = await inWorkspace((tx) => rotateDestinationSecret(tx, { workspaceId, destinationId, box, now: first }));
  const second = new Date(first.getTime() + hour);
  const twice = await inWorkspace((tx) => rotateDestinationSecret(tx, { workspaceId, destinationId, box, now: second }));
  expect(twice.droppedSecretExpiresAt).toEqual(once.previousSecretExpiresAt);
  expect(twice.previousSecretExpiresAt.getTime()).toBe(second.getTime() + destinationSecretOverlapMs);

  const row = await db.destination.findUniqueOrThrow({ where: { id: destinationId } });
  const signing = activeDestinationSecrets(row, box, new Date(second.getTime() + 1000));
  expect(signing).toEqual([twice.secret, once.secret]);
  expect(signing).not.toContain(secret);

  const other = await createWorkspace(appDb, { name: "Other" });
  await expect(
    withWorkspace(appDb, other.id, (tx) => rotateDestinationSecret(tx, { workspaceId: other.id, destinationId, box })),
  ).rejects.toThrow(NotFoundError);
});
