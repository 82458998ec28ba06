import { expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { InvalidInputError, NotFoundError } from "../errors";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { createDestination } from "./create-destination";
import { updateDestination } from "./update-destination";

test("a destination's name, URL, subscription and enabled state are saved, checked as when it was made", async ({
  appDb,
  db,
  newDestination,
}) => {
  const { workspaceId, destinationId, inWorkspace } = await newDestination();
  const settings = {
    workspaceId,
    destinationId,
    name: "  Loops ",
    url: "https://loops.example/in#ignored",
    triggers: ["successfulPayment", "successfulPayment", "trialEnded"],
    contactChanges: true,
    enabled: true,
    allowPrivateTargets: false,
  };
  expect(await inWorkspace((tx) => updateDestination(tx, settings))).toEqual([]);
  expect(await db.destination.findUniqueOrThrow({ where: { id: destinationId } })).toMatchObject({
    name: "Loops",
    url: "https://loops.example/in",
    allTriggers: false,
    triggerNames: ["successfulPayment", "trialEnded"],
    contactChanges: true,
    enabled: true,
  });

  const refused = async (changes: Partial<typeof settings>, field: string, message: RegExp) => {
    const error: unknown = await inWorkspace((tx) => updateDestination(tx, { ...settings, ...changes })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field, message: expect.stringMatching(message) as unknown });
  };
  await refused({ name: " " }, "name", /Give the destination a name/);
  await refused({ url: "http://loops.example/in" }, "url", /https:\/\//);
  await refused({ url: "https://127.0.0.1/in" }, "url", /Refused: 127\.0\.0\.1 is/);
  await refused({ triggers: [], contactChanges: false }, "triggers", /Choose at least one/);
  expect((await db.destination.findUniqueOrThrow({ where: { id: destinationId } })).name).toBe("Loops");

  const other = await createWorkspace(appDb, { name: "Other" });
  await expect(
    withWorkspace(appDb, other.id, (tx) => updateDestination(tx, { ...settings, workspaceId: other.id, name: "Hijacked" })),
  ).rejects.toThrow(NotFoundError);
});

test("a disabled destination holds its messages, and enabling it again makes them due at once", async ({ appDb, db, box }) => {
  const workspace = await createWorkspace(appDb, { name: "Acme" });
  const workspaceId = workspace.id;
  const inWorkspace = <T>(work: Parameters<typeof withWorkspace<T>>[2]) => withWorkspace(appDb, workspaceId, work);
  const settings = {
    workspaceId,
    name: "CRM",
    url: "http://127.0.0.1:9/hooks",
    triggers: "all" as const,
    contactChanges: false,
    allowPrivateTargets: true,
  };
  const { id: destinationId } = await inWorkspace((tx) => createDestination(tx, { box, ...settings }));
  const later = new Date(Date.now() + 60 * 60 * 1000);
  const message = await db.message.create({
    data: {
      workspaceId,
      destinationId,
      messageId: `msg_${"a".repeat(32)}`,
      type: "trigger.fired",
      payload: {},
      nextAttemptAt: later,
      outbox: { create: { workspaceId, destinationId, dueAt: later } },
    },
  });

  expect(await inWorkspace((tx) => updateDestination(tx, { ...settings, destinationId, enabled: false }))).toEqual([]);
  expect((await db.messageOutbox.findUniqueOrThrow({ where: { messageId: message.id } })).dueAt).toBeNull();

  expect(await inWorkspace((tx) => updateDestination(tx, { ...settings, destinationId, enabled: true }))).toEqual([message.id]);
  const outbox = await db.messageOutbox.findUniqueOrThrow({ where: { messageId: message.id } });
  expect(outbox.dueAt!.getTime()).toBeLessThanOrEqual(Date.now());
  expect((await db.message.findUniqueOrThrow({ where: { id: message.id } })).nextAttemptAt.getTime()).toBeLessThanOrEqual(
    Date.now(),
  );
  // Saving an enabled destination again queues nothing more.
  expect(await inWorkspace((tx) => updateDestination(tx, { ...settings, destinationId, enabled: true }))).toEqual([]);
});
