// Destination messages end to end on the worker's path, against a real HTTP receiver that checks
// every request with the Standard Webhooks library: a Stripe event applied by the delivery handler
// records its message in the same transaction, the message worker sends it, and what the receiver
// answers decides what follows (delivered, retried with the same webhook-id, the destination paused).
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { Webhook } from "standardwebhooks";
import { expect } from "vitest";
import {
  createDestination,
  eraseContact,
  createEndpoint,
  createWorkspace,
  queueMessages,
  relayMessages,
  setDestinationPaused,
  withWorkspace,
} from "@hookloop/core";
import { openQueue, startWorker } from "@hookloop/queue";
import { recordTestDelivery, stripeEvent } from "@hookloop/testing";
import { test as baseTest } from "@hookloop/testing/fixtures";
import { createDeliveryHandler } from "../src/handle-delivery";
import { createMessageHandler } from "../src/handle-message";
import { createWorkerMetrics } from "../src/metrics";

type Received = { id: string; body: unknown; verified: boolean; headers: IncomingHttpHeaders };
/**
 * A local receiver: answers each request with the next status of `answers` (then the last one again).
 * Each test's destination gets a URL of its own; what an earlier test's destination still sends
 * (a slow retry) is answered 200 and not recorded.
 */
type Receiver = {
  origin: string;
  url: string;
  received: Received[];
  answers: number[];
  secret: string | null;
  /** How long each answer takes, and the most requests it had open at once. */
  answerDelayMs: number;
  inFlight: number;
  maxInFlight: number;
};

const logger = pino({ level: "silent" });
const retryDelayMs = 150;

const test = baseTest
  .extend("receiver", { scope: "file" }, async ({}, { onCleanup }) => {
    const receiver: Receiver = {
      origin: "",
      url: "",
      received: [],
      answers: [200],
      secret: null,
      answerDelayMs: 0,
      inFlight: 0,
      maxInFlight: 0,
    };
    const server: Server = createServer((request, response) => {
      if (`${receiver.origin}${request.url}` !== receiver.url) {
        request.resume();
        request.on("end", () => response.writeHead(200).end("not this test's"));
        return;
      }
      const chunks: Buffer[] = [];
      receiver.maxInFlight = Math.max(receiver.maxInFlight, ++receiver.inFlight);
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => setTimeout(answer, receiver.answerDelayMs));
      const answer = () => {
        receiver.inFlight--;
        const body = Buffer.concat(chunks).toString("utf8");
        let verified: boolean;
        try {
          new Webhook(receiver.secret!).verify(body, request.headers as Record<string, string>);
          verified = true;
        } catch {
          verified = false;
        }
        receiver.received.push({
          id: String(request.headers["webhook-id"]),
          body: JSON.parse(body),
          verified,
          headers: request.headers,
        });
        const status = receiver.answers.length > 1 ? receiver.answers.shift()! : receiver.answers[0]!;
        response.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "thanks" : "not now");
      };
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    receiver.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return receiver;
  })
  .extend("messages", { scope: "file" }, ({ environment, redis }, { onCleanup }) => {
    const queue = openQueue("messages", { connection: redis, prefix: environment.redisPrefix });
    onCleanup(() => queue.close());
    return queue;
  })
  .extend("metrics", { scope: "file" }, () => createWorkerMetrics([]))
  /** The worker's message side, as server.ts starts it, with retries 150 ms apart instead of minutes. */
  .extend("messageWorker", { scope: "file" }, ({ appDb, box, environment, messages, metrics, redis }, { onCleanup }) => {
    const handler = createMessageHandler(appDb, logger, {
      box,
      queue: messages,
      metrics,
      allowPrivateTargets: true,
      retryDelay: (attemptNumber) => (attemptNumber < 4 ? retryDelayMs : null),
    });
    const worker = startWorker("messages", handler, {
      connection: redis.duplicate(),
      prefix: environment.redisPrefix,
      concurrency: 8,
    });
    onCleanup(() => worker.close());
    return worker;
  })
  /** A workspace with an endpoint firing `paymentSucceeded` on invoice.paid, and a destination at the receiver. */
  .extend("setUp", ({ db, appDb, box, receiver, messages }) => async () => {
    receiver.url = `${receiver.origin}/hooks/${randomBytes(4).toString("hex")}`;
    receiver.received.length = 0;
    receiver.answers = [200];
    receiver.answerDelayMs = 0;
    receiver.maxInFlight = 0;
    const workspace = await createWorkspace(appDb, { name: "Acme" });
    const workspaceId = workspace.id;
    const inWorkspace = <T>(work: Parameters<typeof withWorkspace<T>>[2]) => withWorkspace(appDb, workspaceId, work);
    const endpoint = await inWorkspace((tx) =>
      createEndpoint(tx, {
        box,
        workspaceId,
        name: "Stripe",
        enable: [{ eventType: "invoice.paid", triggerName: "paymentSucceeded" }],
      }),
    );
    const destination = await inWorkspace((tx) =>
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
    receiver.secret = destination.secret;
    const handleDelivery = createDeliveryHandler(appDb, logger, { messages });
    const apply = async (event: ReturnType<typeof stripeEvent>) => {
      const delivery = await recordTestDelivery(db, { workspaceId, endpointId: endpoint.id, event });
      await handleDelivery({ deliveryId: delivery.id, workspaceId }, { attemptsMade: 0, attemptsAllowed: 3 });
      return delivery;
    };
    const messageRows = () =>
      db.message.findMany({
        where: { destinationId: destination.id },
        include: { attemptLog: { orderBy: { attemptedAt: "asc" } } },
      });
    return { workspaceId, endpointId: endpoint.id, destination, inWorkspace, apply, messageRows };
  });

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test("a Stripe event applied by the worker reaches the destination once, as a signed trigger.fired with its contact and properties", async ({
  db,
  receiver,
  messageWorker,
  setUp,
}) => {
  expect(messageWorker.isRunning()).toBe(true);
  const { workspaceId, destination, apply, messageRows } = await setUp();
  const event = stripeEvent("invoice.paid", {
    customerId: "cus_ada",
    email: "Ada@Example.com",
    name: "Ada Lovelace",
    amount: 4200,
    currency: "eur",
  });
  await apply(event);

  const [message] = await eventually(messageRows, (rows) => rows[0]?.status === "delivered");
  expect(message).toMatchObject({ status: "delivered", attempts: 1, type: "trigger.fired" });
  expect(message!.attemptLog).toEqual([expect.objectContaining({ httpStatus: 200, responseExcerpt: "thanks", error: null })]);
  const contact = await db.contact.findFirstOrThrow({ where: { workspaceId } });

  expect(receiver.received).toHaveLength(1);
  const [received] = receiver.received;
  expect(received!.verified).toBe(true);
  expect(received!.id).toBe(message!.messageId);
  expect(received!.body).toMatchObject({
    type: "trigger.fired",
    id: message!.messageId,
    occurredAt: new Date(event.created * 1000).toISOString(),
    workspace: { id: workspaceId },
    trigger: { name: "paymentSucceeded", properties: expect.objectContaining({ amount: 4200, currency: "eur" }) },
    stripeEvent: { id: event.id, type: "invoice.paid" },
    contact: {
      id: contact.id,
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "Lovelace",
      subscribed: true,
      source: contact.source,
      stripeCustomerId: "cus_ada",
    },
  });
  const stored = await db.destination.findUniqueOrThrow({ where: { id: destination.id } });
  expect(stored.lastSuccessAt).not.toBeNull();
});

test("applying the same delivery again, or a replay of the history that moves its trigger event to another contact, sends nothing again", async ({
  db,
  appDb,
  receiver,
  messageWorker,
  setUp,
}) => {
  expect(messageWorker.isRunning()).toBe(true);
  const { workspaceId, endpointId, apply, messageRows } = await setUp();
  await db.endpointEvent.update({
    where: { endpointId_eventType: { endpointId, eventType: "customer.created" } },
    // Accepted for its contact change alone, firing no trigger of its own.
    data: { enabled: true, triggerName: null },
  });
  const now = Math.floor(Date.now() / 1000);
  const invoice = stripeEvent("invoice.paid", { customerId: "cus_bob", email: "bob@old.example", created: now });
  const delivery = await apply(invoice);
  const [first] = await eventually(messageRows, (rows) => rows[0]?.status === "delivered");
  const contactBefore = await db.contact.findFirstOrThrow({ where: { workspaceId } });

  // The same job run again: the delivery is processed already.
  await createDeliveryHandler(appDb, logger)({ deliveryId: delivery.id, workspaceId }, { attemptsMade: 0, attemptsAllowed: 3 });
  // Stripe's earlier customer.created arrives late: the history replays in Stripe's order and the
  // invoice (and its trigger event) now belongs to the contact that event makes.
  await apply(stripeEvent("customer.created", { customerId: "cus_bob", email: "bob@new.example", created: now - 60 }));
  const triggerEvent = await db.triggerEvent.findFirstOrThrow({ where: { workspaceId, stripeEventId: invoice.id } });
  expect(triggerEvent.contactId).not.toBe(contactBefore.id);

  await new Promise((resolve) => setTimeout(resolve, 300));
  const rows = await messageRows();
  expect(rows).toHaveLength(1);
  expect(rows[0]!.messageId).toBe(first!.messageId);
  expect(await db.messageOutbox.count({ where: { workspaceId } })).toBe(0);
  expect(receiver.received).toHaveLength(1);
});

test("a receiver answering 500 gets the message again later, with the same webhook-id", async ({
  receiver,
  messageWorker,
  metrics,
  setUp,
}) => {
  expect(messageWorker.isRunning()).toBe(true);
  const attempts = async () =>
    Object.fromEntries((await metrics.messageAttempts.get()).values.map(({ labels, value }) => [String(labels.result), value]));
  const before = await attempts();
  const { apply, messageRows } = await setUp();
  receiver.answers = [500, 500, 200];
  await apply(stripeEvent("invoice.paid", { customerId: "cus_cy", email: "cy@example.com" }));

  const [message] = await eventually(messageRows, (rows) => rows[0]?.status === "delivered");
  expect(message).toMatchObject({ status: "delivered", attempts: 3 });
  expect(message!.attemptLog.map((attempt) => attempt.httpStatus)).toEqual([500, 500, 200]);
  expect(message!.attemptLog[0]!.responseExcerpt).toBe("not now");
  const after = await attempts();
  expect((after.retry ?? 0) - (before.retry ?? 0)).toBe(2);
  expect((after.delivered ?? 0) - (before.delivered ?? 0)).toBe(1);
  expect(receiver.received.map((request) => request.id)).toEqual([message!.messageId, message!.messageId, message!.messageId]);
  expect(receiver.received.every((request) => request.verified)).toBe(true);
  // Each retry waited for its turn.
  const times = message!.attemptLog.map((attempt) => attempt.attemptedAt.getTime());
  expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(retryDelayMs - 20);
});

test("after its last attempt a message is failed and its outbox row gone", async ({ db, receiver, messageWorker, setUp }) => {
  expect(messageWorker.isRunning()).toBe(true);
  const { workspaceId, apply, messageRows } = await setUp();
  receiver.answers = [503];
  await apply(stripeEvent("invoice.paid", { customerId: "cus_dee", email: "dee@example.com" }));

  const [message] = await eventually(messageRows, (rows) => rows[0]?.status === "failed");
  expect(message).toMatchObject({ status: "failed", attempts: 4 });
  expect(await db.messageOutbox.count({ where: { workspaceId } })).toBe(0);
});

test("a paused destination holds its messages and gets them on resume", async ({
  db,
  receiver,
  messages,
  messageWorker,
  setUp,
}) => {
  expect(messageWorker.isRunning()).toBe(true);
  const { workspaceId, destination, inWorkspace, apply, messageRows } = await setUp();
  await inWorkspace((tx) => setDestinationPaused(tx, { workspaceId, destinationId: destination.id, paused: true }));
  await apply(stripeEvent("invoice.paid", { customerId: "cus_eve", email: "eve@example.com" }));
  await apply(stripeEvent("invoice.paid", { customerId: "cus_fay", email: "fay@example.com" }));

  // The jobs ran and left the messages waiting, not due until a resume.
  await eventually(
    () => db.messageOutbox.findMany({ where: { destinationId: destination.id } }),
    (rows) => rows.length === 2 && rows.every((row) => row.dueAt === null),
  );
  expect(receiver.received).toHaveLength(0);
  expect((await messageRows()).map((row) => row.status)).toEqual(["pending", "pending"]);

  const messageIds = await inWorkspace((tx) =>
    setDestinationPaused(tx, { workspaceId, destinationId: destination.id, paused: false }),
  );
  await queueMessages(messages, { workspaceId, messageIds });
  const rows = await eventually(messageRows, (found) => found.every((row) => row.status === "delivered"));
  expect(rows.map((row) => row.status)).toEqual(["delivered", "delivered"]);
  expect(receiver.received).toHaveLength(2);
});

test("410 Gone pauses the destination at once; its message waits for the resume", async ({
  db,
  receiver,
  messageWorker,
  setUp,
}) => {
  expect(messageWorker.isRunning()).toBe(true);
  const { destination, apply, messageRows } = await setUp();
  receiver.answers = [410];
  await apply(stripeEvent("invoice.paid", { customerId: "cus_gil", email: "gil@example.com" }));

  const stored = await eventually(
    () => db.destination.findUniqueOrThrow({ where: { id: destination.id } }),
    (row) => row.pausedAt !== null,
  );
  expect(stored.pausedReason).toMatch(/410 Gone/);
  await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2));
  const [message] = await messageRows();
  expect(message).toMatchObject({ status: "pending", attempts: 1 });
  expect(receiver.received).toHaveLength(1);
  expect(await db.messageOutbox.findUniqueOrThrow({ where: { messageId: message!.id } })).toMatchObject({ dueAt: null });
});

test("a message whose job Redis lost is queued by the relay once due", async ({
  db,
  appDb,
  messages,
  receiver,
  messageWorker,
  setUp,
}) => {
  expect(messageWorker.isRunning()).toBe(true);
  const { workspaceId, endpointId, messageRows } = await setUp();
  // Applied without a queue for its messages: only Postgres knows them.
  const delivery = await recordTestDelivery(db, {
    workspaceId,
    endpointId,
    event: stripeEvent("invoice.paid", { customerId: "cus_hal", email: "hal@example.com" }),
  });
  await createDeliveryHandler(appDb, logger)({ deliveryId: delivery.id, workspaceId }, { attemptsMade: 0, attemptsAllowed: 3 });
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect((await messageRows())[0]).toMatchObject({ status: "pending", attempts: 0 });

  expect(await relayMessages(db, { queue: messages, graceSeconds: 0 })).toBeGreaterThanOrEqual(1);
  const [message] = await eventually(messageRows, (rows) => rows[0]?.status === "delivered");
  expect(message).toMatchObject({ status: "delivered", attempts: 1 });
  expect(receiver.received).toHaveLength(1);
});

test("a slow destination has at most 4 messages in flight, however many the worker could send", async ({
  receiver,
  messageWorker,
  setUp,
}) => {
  expect(messageWorker.isRunning()).toBe(true);
  const { apply, messageRows } = await setUp();
  receiver.answerDelayMs = 150;
  for (let index = 0; index < 10; index++) {
    await apply(stripeEvent("invoice.paid", { customerId: `cus_slow${index}`, email: `slow${index}@example.com` }));
  }
  const rows = await eventually(messageRows, (found) => found.length === 10 && found.every((row) => row.status === "delivered"));
  expect(rows.filter((row) => row.status === "delivered")).toHaveLength(10);
  expect(receiver.maxInFlight).toBeGreaterThan(1);
  expect(receiver.maxInFlight).toBeLessThanOrEqual(4);
});

test("a backlog of 40 messages to one destination is sent by the jobs that hold its lanes, not put off a second at a time", async ({
  receiver,
  messages,
  messageWorker,
  setUp,
}) => {
  expect(messageWorker.isRunning()).toBe(true);
  const { workspaceId, destination, inWorkspace, apply, messageRows } = await setUp();
  await inWorkspace((tx) => setDestinationPaused(tx, { workspaceId, destinationId: destination.id, paused: true }));
  for (let index = 0; index < 40; index++) {
    await apply(stripeEvent("invoice.paid", { customerId: `cus_back${index}`, email: `back${index}@example.com` }));
  }
  receiver.answerDelayMs = 20;
  const messageIds = await inWorkspace((tx) =>
    setDestinationPaused(tx, { workspaceId, destinationId: destination.id, paused: false }),
  );
  expect(messageIds).toHaveLength(40);
  await queueMessages(messages, { workspaceId, messageIds });

  // 4 lanes at 20 ms a send take well under a second; jobs put off 1 s each time they find the
  // 4 lanes taken came in waves a second apart and took over 3 s here.
  const rows = await eventually(messageRows, (found) => found.every((row) => row.status === "delivered"), 2_500);
  expect(rows.filter((row) => row.status === "delivered")).toHaveLength(40);
  expect(new Set(receiver.received.map((request) => request.id)).size).toBe(40);
  expect(receiver.received).toHaveLength(40);
  expect(receiver.maxInFlight).toBeLessThanOrEqual(4);
});

test("erasing a contact deletes the messages about them, sent or waiting", async ({ db, receiver, messageWorker, setUp }) => {
  expect(messageWorker.isRunning()).toBe(true);
  const { workspaceId, destination, inWorkspace, apply, messageRows } = await setUp();
  await apply(stripeEvent("invoice.paid", { customerId: "cus_ivy", email: "ivy@example.com" }));
  await eventually(messageRows, (rows) => rows[0]?.status === "delivered");
  receiver.answers = [500];
  await apply(stripeEvent("invoice.paid", { customerId: "cus_ivy", email: "ivy@example.com" }));
  await apply(stripeEvent("invoice.paid", { customerId: "cus_jo", email: "jo@example.com" }));
  expect(await messageRows()).toHaveLength(3);

  await inWorkspace((tx) => eraseContact(tx, { workspaceId, email: "ivy@example.com", requestedBy: "dpo@example.com" }));
  const left = await messageRows();
  expect(left).toHaveLength(1);
  expect(JSON.stringify(left[0]!.payload)).toContain("jo@example.com");
  const stored = await db.message.findMany({ where: { destinationId: destination.id } });
  expect(JSON.stringify(stored)).not.toContain("ivy@example.com");
  expect(await db.messageAttempt.count({ where: { messageId: { notIn: left.map((row) => row.id) }, workspaceId } })).toBe(0);
});

test("a destination receiving contact changes gets contact.created, contact.updated (billing, then name) and contact.unsubscribed, each once", async ({
  db,
  appDb,
  receiver,
  messageWorker,
  setUp,
}) => {
  expect(messageWorker.isRunning()).toBe(true);
  const { workspaceId, endpointId, destination, apply, messageRows } = await setUp();
  await db.destination.update({ where: { id: destination.id }, data: { contactChanges: true } });
  for (const eventType of ["customer.created", "customer.updated", "customer.deleted"]) {
    await db.endpointEvent.update({
      where: { endpointId_eventType: { endpointId, eventType } },
      data: { enabled: true, triggerName: null },
    });
  }
  const now = Math.floor(Date.now() / 1000);
  const created = await apply(
    stripeEvent("customer.created", { customerId: "cus_kim", email: "kim@example.com", name: "Kim Lee", created: now - 30 }),
  );
  await apply(stripeEvent("invoice.paid", { customerId: "cus_kim", email: "kim@example.com", created: now - 20 }));
  await apply(
    stripeEvent("customer.updated", { customerId: "cus_kim", email: "kim@example.com", name: "Kim Park", created: now - 10 }),
  );
  await apply(stripeEvent("customer.deleted", { customerId: "cus_kim", email: "kim@example.com", created: now }));
  // The first job run again changes nothing and records nothing.
  await createDeliveryHandler(appDb, logger)({ deliveryId: created.id, workspaceId }, { attemptsMade: 0, attemptsAllowed: 3 });

  // The paid invoice changes the contact too: its billing (lifetime value, last paid) is news.
  const rows = await eventually(messageRows, (found) => found.length === 5 && found.every((row) => row.status === "delivered"));
  expect(rows.map((row) => row.type).sort()).toEqual([
    "contact.created",
    "contact.unsubscribed",
    "contact.updated",
    "contact.updated",
    "trigger.fired",
  ]);
  const contact = await db.contact.findFirstOrThrow({ where: { workspaceId } });
  const bodies = receiver.received.map((request) => request.body as { type: string; contact: Record<string, unknown> });
  expect(receiver.received.every((request) => request.verified)).toBe(true);
  expect(bodies.find((body) => body.type === "contact.created")!.contact).toMatchObject({
    id: contact.id,
    email: "kim@example.com",
    firstName: "Kim",
    lastName: "Lee",
    subscribed: true,
  });
  const updates = bodies.filter((body) => body.type === "contact.updated").map((body) => body.contact);
  expect(updates).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ lastName: "Lee", billing: expect.objectContaining({ lastPaidAt: expect.any(String) }) }),
      expect.objectContaining({ lastName: "Park" }),
    ]),
  );
  expect(bodies.find((body) => body.type === "contact.unsubscribed")!.contact).toMatchObject({ subscribed: false });
});

test("a contact deleted with its Stripe customer is a contact.deleted message with the contact as it was", async ({
  db,
  receiver,
  messageWorker,
  setUp,
}) => {
  expect(messageWorker.isRunning()).toBe(true);
  const { workspaceId, endpointId, destination, apply, messageRows } = await setUp();
  await db.destination.update({ where: { id: destination.id }, data: { contactChanges: true, allTriggers: false } });
  await db.endpoint.update({ where: { id: endpointId }, data: { onCustomerDeleted: "delete" } });
  for (const eventType of ["customer.created", "customer.deleted"]) {
    await db.endpointEvent.update({
      where: { endpointId_eventType: { endpointId, eventType } },
      data: { enabled: true, triggerName: null },
    });
  }
  const now = Math.floor(Date.now() / 1000);
  await apply(stripeEvent("customer.created", { customerId: "cus_lou", email: "lou@example.com", created: now - 10 }));
  const contact = await db.contact.findFirstOrThrow({ where: { workspaceId } });
  await apply(stripeEvent("customer.deleted", { customerId: "cus_lou", email: "lou@example.com", created: now }));
  expect(await db.contact.count({ where: { workspaceId } })).toBe(0);

  const rows = await eventually(messageRows, (found) => found.length === 2 && found.every((row) => row.status === "delivered"));
  expect(rows.map((row) => row.type).sort()).toEqual(["contact.created", "contact.deleted"]);
  const deleted = receiver.received.find((request) => (request.body as { type: string }).type === "contact.deleted")!;
  expect(deleted.body).toMatchObject({
    contact: { id: contact.id, email: "lou@example.com" },
    stripeEvent: { type: "customer.deleted" },
  });
});
