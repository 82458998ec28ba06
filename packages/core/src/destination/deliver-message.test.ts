// deliverMessage's edges on a real database and a real local receiver: a send refused by the SSRF
// guard is an attempt like any other, a leased message is not sent twice at once, a destination's
// in-flight limit holds across calls, and a message that is not due waits.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import { test as baseTest } from "@hookloop/testing/fixtures";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { createDestination } from "./create-destination";
import { deliverMessage } from "./deliver-message";

type Receiver = { url: string; requests: number; answerDelayMs: number };

const test = baseTest
  .extend("receiver", { scope: "file" }, async ({}, { onCleanup }) => {
    const receiver: Receiver = { url: "", requests: 0, answerDelayMs: 0 };
    const server: Server = createServer((request, response) => {
      receiver.requests++;
      request.resume();
      request.on("end", () => setTimeout(() => response.writeHead(200).end("ok"), receiver.answerDelayMs));
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
