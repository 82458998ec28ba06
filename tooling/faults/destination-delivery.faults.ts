// The worker is killed (SIGKILL: sends cut off after the receiver has the request, attempts never
// recorded) three times while it sends a destination the messages of 300 trigger events, and
// started again each time. The receiver verifies every request with the Standard Webhooks library
// and answers slowly enough that sends are in flight at each kill.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { describe, expect } from "vitest";
import { waitUntil } from "@hookloop/e2e/processes";
import { stripeEvent } from "@hookloop/testing";
import { cli, test as faultTest } from "./src/hookloop-stack";
import { StripeHarness, type OutgoingEvent } from "./src/stripe-harness";

const eventCount = 300;
/** A send's timeout, and so its lease (4 times it): a killed worker's sends are retried after 10 s, not 60. */
const sendTimeoutMs = 2_500;

const test = faultTest.extend(
  "stackOptions",
  { scope: "file" },
  {
    env: { DESTINATIONS_ALLOW_PRIVATE_TARGETS: "true", MESSAGE_SEND_TIMEOUT_MS: String(sendTimeoutMs) },
  },
);

type Receipt = { webhookId: string; stripeEventId: string; at: number };

/** A destination's receiver on loopback: verifies each request, answers 200 after 40–160 ms. */
function startReceiver() {
  const receipts: Receipt[] = [];
  const forged: string[] = [];
  let webhook: Webhook | null = null;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      try {
        if (!webhook) throw new Error("no secret yet");
        const payload = webhook.verify(body, headersOf(request.headers)) as { stripeEvent: { id: string } };
        receipts.push({
          webhookId: String(request.headers["webhook-id"]),
          stripeEventId: payload.stripeEvent.id,
          at: Date.now(),
        });
      } catch (error) {
        forged.push(String(error));
        response.writeHead(400).end();
        return;
      }
      setTimeout(() => response.writeHead(200).end("ok"), 40 + Math.floor(Math.random() * 120));
    });
  });
  return {
    receipts,
    forged,
    trust: (secret: string) => (webhook = new Webhook(secret)),
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`)),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function headersOf(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) => (typeof value === "string" ? [[name, value]] : [])),
  );
}

const receiver = startReceiver();

test.beforeAll(async ({ stack }) => {
  await Promise.all([stack.startIngest(), stack.startWorker()]);
}, 120_000);

test.afterAll(() => receiver.close());

describe("a worker killed while it sends a destination its messages", () => {
  test("delivers every message, duplicates only as retries of the same webhook-id, after three SIGKILLs and restarts", async ({
    stack,
  }) => {
    const url = await receiver.listen();
    const [tenant] = await stack.createTenants(1, ["invoice.paid=paymentSucceeded"]);
    const destination = (await cli(["destination:create", "--workspace", tenant!.workspaceId, "--url", url], {
      ...stack.environment.env,
      INGEST_PUBLIC_URL: stack.ingestUrl,
      DESTINATIONS_ALLOW_PRIVATE_TARGETS: "true",
    })) as unknown as { id: string; secret: string };
    receiver.trust(destination.secret);

    const created = Math.floor(Date.now() / 1000);
    const events: OutgoingEvent[] = Array.from({ length: eventCount }, (_, index) => {
      const event = stripeEvent("invoice.paid", {
        customerId: `cus_dst${index}`,
        email: `dst${index}@faults.example`,
        created: created + index,
      });
      return { id: event.id, target: tenant!.target, event };
    });
    const harness = new StripeHarness({ concurrency: 8 });
    const startedAt = Date.now();
    const distinct = () => new Set(receiver.receipts.map((receipt) => receipt.webhookId)).size;

    const sending = harness.send(events);
    const kills: number[] = [];
    for (const share of [0.25, 0.5, 0.75]) {
      // Sends are in flight at every moment from the first message to the last (4 at once, each answered in 40–160 ms).
      const seen = await waitUntil(
        async () => (distinct() >= share * eventCount && distinct() < eventCount ? distinct() : false),
        {
          timeoutMs: 90_000,
          what: `${share * 100} % of the messages to be received`,
        },
      );
      kills.push(seen);
      await stack.worker().stop("SIGKILL");
      await stack.startWorker();
    }
    await sending;
    await harness.resendUnacknowledged();

    const messages = () => stack.db.message.findMany({ where: { destinationId: destination.id }, include: { attemptLog: true } });
    await waitUntil(
      async () => {
        const rows = await messages();
        return rows.length === eventCount && rows.every((row) => row.status === "delivered");
      },
      { timeoutMs: 90_000, what: `every message delivered (${distinct()} of ${eventCount} received so far)` },
    );
    const rows = await messages();
    const received = new Map<string, Receipt[]>();
    for (const receipt of receiver.receipts)
      received.set(receipt.webhookId, [...(received.get(receipt.webhookId) ?? []), receipt]);
    const lost = rows.filter((row) => !received.has(row.messageId));
    const duplicated = [...received].filter(([, receipts]) => receipts.length > 1);
    const duplicates = receiver.receipts.length - received.size;
    const unknown = [...received.keys()].filter((webhookId) => !rows.some((row) => row.messageId === webhookId));
    const stripeEventsReceived = new Set(receiver.receipts.map((receipt) => receipt.stripeEventId));
    const eventsWithoutMessage = events.filter((event) => !stripeEventsReceived.has(event.id));
    const figures = harness.figures();
    console.log(
      `[faults] destination-delivery: events sent ${figures.events} (acknowledged ${figures.acknowledged}), ` +
        `messages ${rows.length} delivered ${rows.filter((row) => row.status === "delivered").length}, ` +
        `faults injected 3 worker SIGKILLs (at ${kills.join("/")} received), requests received ${receiver.receipts.length}, ` +
        `lost ${lost.length + eventsWithoutMessage.length}, duplicates ${duplicates} (same webhook-id: ${duplicated.length} messages), ` +
        `other ids ${unknown.length}, forged ${receiver.forged.length}, attempts recorded ${rows.reduce((sum, row) => sum + row.attemptLog.length, 0)}, ` +
        `${Math.round((Date.now() - startedAt) / 1000)} s`,
    );
    for (const [webhookId, receipts] of duplicated) {
      console.log(
        `[faults] destination-delivery: ${webhookId} received ${receipts.length} times, ${receipts.map((r) => r.at - startedAt).join("/")} ms in`,
      );
    }

    expect(figures.unacknowledged).toBe(0);
    expect(receiver.forged).toEqual([]);
    expect(eventsWithoutMessage).toEqual([]);
    expect(lost).toEqual([]);
    expect(unknown).toEqual([]);
    expect(received.size).toBe(eventCount);
    // A kill cuts off at most the destination's 4 sends in flight; each is sent again once its lease runs out.
    expect(duplicates).toBeLessThanOrEqual(3 * 4);
    // Every message was recorded delivered by exactly one attempt that got the 200 (the others were cut off unrecorded).
    expect(rows.every((row) => row.attemptLog.filter((attempt) => attempt.httpStatus === 200).length === 1)).toBe(true);
  });
});
