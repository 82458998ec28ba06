import { expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { NotFoundError, SecretInGraceError } from "../errors";
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

test("a second rotation within 24 hours is refused until the secret it would drop is confirmed, then keeps the one it replaces and drops the older", async ({
  appDb,
  db,
  box,
  newDestination,
}) => {
  const { workspaceId, destinationId, secret, inWorkspace } = await newDestination();
  const first = new Date();
  const once = await inWorkspace((tx) => rotateDestinationSecret(tx, { workspaceId, destinationId, box, now: first }));
  const second = new Date(first.getTime() + hour);
  const before = await db.destination.findUniqueOrThrow({ where: { id: destinationId } });
  const unconfirmed = inWorkspace((tx) => rotateDestinationSecret(tx, { workspaceId, destinationId, box, now: second }));
  await expect(unconfirmed).rejects.toThrow(SecretInGraceError);
  await expect(unconfirmed).rejects.toMatchObject({ last4: secret.slice(-4), acceptedUntil: once.previousSecretExpiresAt });
  // Confirming another secret's drop (one the page showed before someone else rotated) is no confirmation.
  const stale = new Date(once.previousSecretExpiresAt.getTime() - hour);
  await expect(
    inWorkspace((tx) =>
      rotateDestinationSecret(tx, { workspaceId, destinationId, box, now: second, dropSecretSigningUntil: stale }),
    ),
  ).rejects.toThrow(SecretInGraceError);
  expect(await db.destination.findUniqueOrThrow({ where: { id: destinationId } })).toEqual(before);

  const twice = await inWorkspace((tx) =>
    rotateDestinationSecret(tx, {
      workspaceId,
      destinationId,
      box,
      now: second,
      dropSecretSigningUntil: once.previousSecretExpiresAt,
    }),
  );
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

test("a rotation after the grace is over drops nothing and needs no confirmation", async ({ box, newDestination }) => {
  const { workspaceId, destinationId, inWorkspace } = await newDestination();
  const first = new Date();
  await inWorkspace((tx) => rotateDestinationSecret(tx, { workspaceId, destinationId, box, now: first }));
  const later = new Date(first.getTime() + destinationSecretOverlapMs + 1000);
  const again = await inWorkspace((tx) => rotateDestinationSecret(tx, { workspaceId, destinationId, box, now: later }));
  expect(again.droppedSecretExpiresAt).toBeNull();
});
