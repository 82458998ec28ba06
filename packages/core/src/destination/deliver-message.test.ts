// deliverMessage's edges on a real database and a real local receiver: a send refused by the SSRF
// guard is an attempt like any other, a leased message is not sent twice at once, a destination's
// in-flight limit holds across calls, a message that is not due waits, and a destination failing
// for 5 days with no success pauses itself.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import { test as baseTest } from "@hookloop/testing/fixtures";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { createDestination } from "./create-destination";
import { autoPauseAfterFailing, deliverMessage } from "./deliver-message";
import { setDestinationPaused } from "./set-destination-paused";

type Receiver = { url: string; requests: number; answerDelayMs: number; answerStatus: number };

const test = baseTest
  .extend("receiver", { scope: "file" }, async ({}, { onCleanup }) => {
    const receiver: Receiver = { url: "", requests: 0, answerDelayMs: 0, answerStatus: 200 };
    const server: Server = createServer((request, response) => {
      receiver.requests++;
      request.resume();
      request.on("end", () => setTimeout(() => response.writeHead(receiver.answerStatus).end("ok"), receiver.answerDelayMs));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return receiver;
  })
  /** A workspace with a destination at the receiver and `count` pending messages for it, recorded as apply-delivery records them. */
  .extend("withMessages", ({ db, appDb, box, receiver }) => async (count: number, nextAttemptAt = new Date()) => {
    receiver.requests = 0;
    receiver.answerDelayMs = 0;
    receiver.answerStatus = 200;
    const workspace = await createWorkspace(appDb, { name: "Acme" });
    const workspaceId = workspace.id;
    const destination = await withWorkspace(appDb, workspaceId, (tx) =>
      createDestination(tx, {
        box,
        workspaceId,
        name: "CRM",
        url: receiver.url,
        triggers: "all",
        contactChanges: false,
        allowPrivateTargets: true,
      }),
    );
    const ids: string[] = [];
    for (let index = 0; index < count; index++) {
      const message = await db.message.create({
        data: {
          workspaceId,
          destinationId: destination.id,
          messageId: `msg_${index.toString(16).padStart(32, "0")}`,
          type: "trigger.fired",
          payload: { type: "trigger.fired", index },
          nextAttemptAt,
          outbox: { create: { workspaceId, destinationId: destination.id, dueAt: nextAttemptAt } },
        },
      });
      ids.push(message.id);
    }
    return { workspaceId, destinationId: destination.id, ids };
  });

test("a URL that resolves to a private address is refused at send time and recorded as a failed attempt", async ({
  db,
  appDb,
  box,
  receiver,
  withMessages,
}) => {
  const { workspaceId, destinationId, ids } = await withMessages(1);
  // Saved where private targets were allowed (or a public name that now resolves to loopback):
  // the check at send time is the one that counts.
  await db.destination.update({ where: { id: destinationId }, data: { url: receiver.url.replace("http://", "https://") } });
  const outcome = await deliverMessage(appDb, { workspaceId, messageId: ids[0]!, box, allowPrivateTargets: false });
  expect(outcome).toMatchObject({
    kind: "retry",
    attempt: { status: null, error: expect.stringMatching(/^Refused: 127\.0\.0\.1 is /) },
  });
  expect(receiver.requests).toBe(0);
  const message = await db.message.findUniqueOrThrow({ where: { id: ids[0]! }, include: { attemptLog: true } });
  expect(message).toMatchObject({ status: "pending", attempts: 1, leasedUntil: null });
  expect(message.attemptLog).toEqual([expect.objectContaining({ httpStatus: null, error: expect.stringMatching(/^Refused/) })]);
});

test("a message being sent is not sent again by a second worker at the same time", async ({
  appDb,
  box,
  receiver,
  withMessages,
}) => {
  const { workspaceId, ids } = await withMessages(1);
  receiver.answerDelayMs = 200;
  const options = { workspaceId, messageId: ids[0]!, box, allowPrivateTargets: true };
  const first = deliverMessage(appDb, options);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const second = await deliverMessage(appDb, options);
  expect(second).toMatchObject({ kind: "later", reason: "Another worker is sending it." });
  expect(await first).toMatchObject({ kind: "delivered" });
  expect(await deliverMessage(appDb, options)).toEqual({ kind: "skipped", reason: "The message is already delivered." });
  expect(receiver.requests).toBe(1);
});

test("a destination's in-flight limit holds: the message over it is put off, not sent", async ({
  appDb,
  box,
  receiver,
  withMessages,
}) => {
  const { workspaceId, ids } = await withMessages(3);
  receiver.answerDelayMs = 200;
  const send = (messageId: string) =>
    deliverMessage(appDb, { workspaceId, messageId, box, allowPrivateTargets: true, maxInFlight: 2 });
  const inFlight = [send(ids[0]!), send(ids[1]!)];
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await send(ids[2]!)).toMatchObject({ kind: "later", reason: expect.stringMatching(/as many messages in flight/) });
  expect((await Promise.all(inFlight)).map((outcome) => outcome.kind)).toEqual(["delivered", "delivered"]);
  expect(await send(ids[2]!)).toMatchObject({ kind: "delivered" });
  expect(receiver.requests).toBe(3);
});

test("a message not yet due waits until its time", async ({ appDb, box, receiver, withMessages }) => {
  const at = new Date(Date.now() + 60_000);
  const { workspaceId, ids } = await withMessages(1, at);
  const outcome = await deliverMessage(appDb, { workspaceId, messageId: ids[0]!, box, allowPrivateTargets: true });
  expect(outcome).toMatchObject({ kind: "later", reason: "It is not due yet." });
  expect(outcome.kind === "later" && Math.abs(outcome.at.getTime() - at.getTime())).toBeLessThan(5);
  expect(receiver.requests).toBe(0);
});

const day = 24 * 60 * 60 * 1000;

test("a destination failing for 5 days without a success pauses itself, says why, and sends what waited once resumed", async ({
  db,
  appDb,
  box,
  receiver,
  withMessages,
}) => {
  const { workspaceId, destinationId, ids } = await withMessages(2);
  receiver.answerStatus = 500;
  const send = (messageId: string) => deliverMessage(appDb, { workspaceId, messageId, box, allowPrivateTargets: true });

  // The first failure starts the count; one failure is no reason to pause.
  expect(await send(ids[0]!)).toMatchObject({ kind: "retry", attempt: { status: 500 } });
  const failing = await db.destination.findUniqueOrThrow({ where: { id: destinationId } });
  expect(failing).toMatchObject({ pausedAt: null, lastSuccessAt: null });
  expect(Date.now() - failing.failingSince!.getTime()).toBeLessThan(5_000);

  // Five days of failures later (the count's start moved back rather than the clock forward):
  const failingSince = new Date(Date.now() - autoPauseAfterFailing.afterMs - 60_000);
  await db.destination.update({ where: { id: destinationId }, data: { failingSince } });
  expect(await send(ids[1]!)).toMatchObject({ kind: "paused", attempt: { status: 500 } });
  const paused = await db.destination.findUniqueOrThrow({ where: { id: destinationId } });
  expect(paused.pausedAt).not.toBeNull();
  const since = `${failingSince.toISOString().slice(0, 10)} ${failingSince.toISOString().slice(11, 16)} UTC`;
  expect(paused.pausedReason).toBe(
    `Paused automatically: no successful delivery since ${since} (5 days). Resume it once the receiver answers 2xx again: what waited is sent then.`,
  );
  // Both messages wait, the one that paused it included, and a worker holding either sends nothing.
  expect(await db.messageOutbox.findMany({ where: { destinationId }, select: { dueAt: true } })).toEqual([
    { dueAt: null },
    { dueAt: null },
  ]);
  expect(await send(ids[0]!)).toMatchObject({ kind: "skipped" });
  expect(receiver.requests).toBe(2);

  receiver.answerStatus = 200;
  const resumed = await withWorkspace(appDb, workspaceId, (tx) =>
    setDestinationPaused(tx, { workspaceId, destinationId, paused: false }),
  );
  expect(resumed.sort()).toEqual([...ids].sort());
  expect((await Promise.all(ids.map(send))).map((outcome) => outcome.kind)).toEqual(["delivered", "delivered"]);
  expect(await db.destination.findUniqueOrThrow({ where: { id: destinationId } })).toMatchObject({
    pausedAt: null,
    pausedReason: null,
    failingSince: null,
    lastSuccessAt: expect.any(Date),
  });
});

test("a destination quiet for weeks after its last success is not paused by its next failure, and a success ends the count", async ({
  db,
  appDb,
  box,
  receiver,
  withMessages,
}) => {
  const { workspaceId, destinationId, ids } = await withMessages(3);
  await db.destination.update({
    where: { id: destinationId },
    data: { createdAt: new Date(Date.now() - 40 * day), lastSuccessAt: new Date(Date.now() - 30 * day) },
  });
  const send = (messageId: string) => deliverMessage(appDb, { workspaceId, messageId, box, allowPrivateTargets: true });

  receiver.answerStatus = 500;
  expect(await send(ids[0]!)).toMatchObject({ kind: "retry" });
  const failing = await db.destination.findUniqueOrThrow({ where: { id: destinationId } });
  expect(failing.pausedAt).toBeNull();
  expect(Date.now() - failing.failingSince!.getTime()).toBeLessThan(5_000);

  // Four days of failures, then one success: the count starts again at the next failure.
  await db.destination.update({ where: { id: destinationId }, data: { failingSince: new Date(Date.now() - 4 * day) } });
  receiver.answerStatus = 200;
  expect(await send(ids[1]!)).toMatchObject({ kind: "delivered" });
  expect(await db.destination.findUniqueOrThrow({ where: { id: destinationId } })).toMatchObject({ failingSince: null });
  receiver.answerStatus = 500;
  expect(await send(ids[2]!)).toMatchObject({ kind: "retry" });
  const after = await db.destination.findUniqueOrThrow({ where: { id: destinationId } });
  expect(after.pausedAt).toBeNull();
  expect(Date.now() - after.failingSince!.getTime()).toBeLessThan(5_000);
});
