import { expect } from "vitest";
import { test as baseTest } from "@hookloop/testing/fixtures";
import { InvalidInputError, NotFoundError } from "../errors";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { retryFailedMessages } from "./retry-failed-messages";
import { retryMessage } from "./retry-message";

type Status = "pending" | "delivered" | "failed";

const test = baseTest.extend(
  "destinationWith",
  ({ db, newDestination }) =>
    async (messages: Array<{ status: Status; createdAt?: Date }>) => {
      const { workspaceId, destinationId, inWorkspace } = await newDestination();
      const ids: string[] = [];
      for (const [index, { status, createdAt }] of messages.entries()) {
        const message = await db.message.create({
          data: {
            workspaceId,
            destinationId,
            messageId: `msg_${index.toString(16).padStart(32, "0")}`,
            type: "trigger.fired",
            payload: {},
            status,
            attempts: status === "pending" ? 2 : 9,
            nextAttemptAt: new Date(Date.now() + 30 * 60 * 1000),
            ...(createdAt ? { createdAt } : {}),
            // Delivered and failed messages have left the outbox; a pending one waits in it.
            ...(status === "pending"
              ? { outbox: { create: { workspaceId, destinationId, dueAt: new Date(Date.now() + 30 * 60 * 1000) } } }
              : {}),
          },
        });
        ids.push(message.id);
      }
      return { workspaceId, destinationId, ids, inWorkspace };
    },
);

test("retrying a failed message makes it pending and due now, back in the outbox", async ({ db, destinationWith }) => {
  const { workspaceId, ids, inWorkspace } = await destinationWith([{ status: "failed" }]);
  const [id] = ids as [string];
  expect(await inWorkspace((tx) => retryMessage(tx, { workspaceId, messageId: id }))).toEqual([id]);
  const message = await db.message.findUniqueOrThrow({ where: { id }, include: { outbox: true } });
  expect(message.status).toBe("pending");
  expect(message.attempts).toBe(9);
  expect(message.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
  expect(message.outbox!.dueAt!.getTime()).toBeLessThanOrEqual(Date.now());
});

test("retrying a pending message brings its next attempt forward; a delivered one is refused", async ({
  db,
  destinationWith,
}) => {
  const { workspaceId, ids, inWorkspace } = await destinationWith([{ status: "pending" }, { status: "delivered" }]);
  const [pending, delivered] = ids as [string, string];
  expect(await inWorkspace((tx) => retryMessage(tx, { workspaceId, messageId: pending }))).toEqual([pending]);
  expect((await db.message.findUniqueOrThrow({ where: { id: pending } })).nextAttemptAt.getTime()).toBeLessThanOrEqual(
    Date.now(),
  );
  await expect(inWorkspace((tx) => retryMessage(tx, { workspaceId, messageId: delivered }))).rejects.toThrow(InvalidInputError);
  expect((await db.message.findUniqueOrThrow({ where: { id: delivered } })).status).toBe("delivered");
});

test("a paused destination's retried message is pending but waits for the resume", async ({ db, destinationWith }) => {
  const { workspaceId, destinationId, ids, inWorkspace } = await destinationWith([{ status: "failed" }]);
  await db.destination.update({ where: { id: destinationId }, data: { pausedAt: new Date(), pausedReason: "test" } });
  await inWorkspace((tx) => retryMessage(tx, { workspaceId, messageId: ids[0]! }));
  const message = await db.message.findUniqueOrThrow({ where: { id: ids[0]! }, include: { outbox: true } });
  expect(message.status).toBe("pending");
  expect(message.outbox!.dueAt).toBeNull();
});

test("retrying the failed messages of a time range retries those and only those, and counts them", async ({
  db,
  destinationWith,
}) => {
  const day = (n: number) => new Date(Date.UTC(2026, 10, n));
  const { workspaceId, destinationId, ids, inWorkspace } = await destinationWith([
    { status: "failed", createdAt: day(1) },
    { status: "failed", createdAt: day(3) },
    { status: "failed", createdAt: day(4) },
    { status: "delivered", createdAt: day(3) },
    { status: "pending", createdAt: day(3) },
    { status: "failed", createdAt: day(5) },
  ]);
  const result = await inWorkspace((tx) => retryFailedMessages(tx, { workspaceId, destinationId, from: day(2), to: day(5) }));
  expect(result.count).toBe(2);
  expect(result.messageIds.sort()).toEqual([ids[1], ids[2]].sort());
  const statuses = await db.message.findMany({
    where: { destinationId },
    orderBy: { messageId: "asc" },
    select: { status: true },
  });
  expect(statuses.map((row) => row.status)).toEqual(["failed", "pending", "pending", "delivered", "pending", "failed"]);
  await expect(
    inWorkspace((tx) => retryFailedMessages(tx, { workspaceId, destinationId, from: day(5), to: day(2) })),
  ).rejects.toThrow(InvalidInputError);
});

test("another workspace's message or destination is not found, and nothing of it changes", async ({
  appDb,
  db,
  destinationWith,
}) => {
  const { destinationId, ids } = await destinationWith([{ status: "failed" }]);
  const other = await createWorkspace(appDb, { name: "Other" });
  const asOther = <T>(work: Parameters<typeof withWorkspace<T>>[2]) => withWorkspace(appDb, other.id, work);
  await expect(asOther((tx) => retryMessage(tx, { workspaceId: other.id, messageId: ids[0]! }))).rejects.toThrow(NotFoundError);
  await expect(
    asOther((tx) =>
      retryFailedMessages(tx, { workspaceId: other.id, destinationId, from: new Date(0), to: new Date(Date.now() + 1000) }),
    ),
  ).rejects.toThrow(NotFoundError);
  expect((await db.message.findUniqueOrThrow({ where: { id: ids[0]! } })).status).toBe("failed");
});
