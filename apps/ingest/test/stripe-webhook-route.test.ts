// POST /webhooks/stripe/:endpointId: what ingest records and queues for each request, and what Stripe
// gets back (README, "What Stripe gets back"), on a real server, Postgres and Redis.
import { Redis } from "ioredis";
import { describe, expect } from "vitest";
import {
  SECRET_ROTATION_GRACE_MS,
  createDeliveryReceiver,
  createEndpoint,
  createEndpointCache,
  deleteEndpoint,
  relayDeliveries,
  setEndpointSecret,
  withWorkspace,
} from "@hookloop/core";
import { openQueue } from "@hookloop/queue";
import { countingQueries, newTestSigningSecret, signedStripeRequest, stripeEvent } from "@hookloop/testing";
import { buildIngestApp } from "../src/app";
import { startIngestHarness, test as ingestTest } from "./ingest-harness";

type PostOptions = { secret?: string; timestampSeconds?: number; endpointId?: string };

const test = ingestTest
  /** The webhook URL of the file's endpoint, or of another. */
  .extend(
    "url",
    ({ ingest: h }) =>
      (endpointId = h.endpointId) =>
        `/webhooks/stripe/${endpointId}`,
  )
  /** Posts `event` signed as Stripe signs it (with the endpoint's current secret unless told otherwise). */
  .extend("post", ({ ingest: h, url }) => async (event: unknown, options: PostOptions = {}) => {
    const request = signedStripeRequest(event, options.secret ?? h.secret, options);
    return h.server.app.inject({ method: "POST", url: url(options.endpointId), headers: request.headers, payload: request.body });
  })
  .extend(
    "deliveriesOf",
    ({ ingest: h }) =>
      (stripeEventId: string) =>
        h.db.delivery.findMany({ where: { stripeEventId } }),
  )
  /** The BullMQ queue itself, to look at the jobs ingest added. */
  .extend("jobs", ({ queue }) => queue.queue);

describe("a verified, enabled event", () => {
  test("is recorded, queued once and answered 200", async ({ ingest: h, post, deliveriesOf, jobs: queue }) => {
    const event = stripeEvent("invoice.paid");
    const response = await post(event);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: true, status: "queued" });
    const [delivery] = await deliveriesOf(event.id);
    expect(delivery).toMatchObject({ status: "queued", type: "invoice.paid", livemode: false, endpointId: h.endpointId });
    expect(await queue.getJob(delivery!.id)).toBeTruthy();
    // Its outbox row stays until the worker has applied it: Redis could still lose the job.
    expect(await h.db.deliveryOutbox.count({ where: { deliveryId: delivery!.id } })).toBe(1);
  });

  test("delivered again is answered 200 and stays one delivery and one job", async ({ post, deliveriesOf, jobs: queue }) => {
    const event = stripeEvent("invoice.paid");
    expect((await post(event)).statusCode).toBe(200);
    const again = await post(event);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ received: true, status: "duplicate" });
    const deliveries = await deliveriesOf(event.id);
    expect(deliveries).toHaveLength(1);
    const jobs = await queue.getJobs(["waiting", "delayed", "active", "completed"]);
    expect(jobs.filter((job) => job.data.deliveryId === deliveries[0]!.id)).toHaveLength(1);
  });

  test("keeps the exact payload Stripe sent", async ({ post, deliveriesOf }) => {
    const event = stripeEvent("customer.created", { email: "Grace@Example.com" });
    await post(event);
    const [delivery] = await deliveriesOf(event.id);
    expect(delivery!.payload).toEqual(JSON.parse(JSON.stringify(event)));
  });
});

describe("an event this endpoint does not take", () => {
  test("of a type not enabled is answered 200 and recorded as ignored with the reason", async ({
    post,
    deliveriesOf,
    jobs: queue,
  }) => {
    const event = stripeEvent("invoice.payment_failed");
    const response = await post(event);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: "ignored",
      reason: "invoice.payment_failed is not enabled on this endpoint.",
    });
    const [delivery] = await deliveriesOf(event.id);
    expect(delivery).toMatchObject({ status: "ignored", reason: "invoice.payment_failed is not enabled on this endpoint." });
    expect(await queue.getJob(delivery!.id)).toBeFalsy();
  });

  test("of a type Hookloop does not support is answered 200 and recorded as ignored", async ({ post, deliveriesOf }) => {
    const event = stripeEvent("payment_intent.created");
    const response = await post(event);
    expect(response.statusCode).toBe(200);
    const [delivery] = await deliveriesOf(event.id);
    expect(delivery).toMatchObject({ status: "ignored", reason: "Hookloop does not handle payment_intent.created events." });
  });
});

describe("errors", () => {
  test("an unknown endpoint is 404", async ({ post }) => {
    const response = await post(stripeEvent("invoice.paid"), { endpointId: "ep_AAAAAAAAAAAAAAAAAAAAAAAA" });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: "endpoint_not_found", message: "No enabled webhook endpoint has this URL." });
  });

  test("a malformed endpoint id gets the same 404", async ({ post }) => {
    const response = await post(stripeEvent("invoice.paid"), { endpointId: "nope" });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toBe("endpoint_not_found");
  });

  test("a disabled endpoint is 404 and records nothing", async ({ ingest: h, post, deliveriesOf }) => {
    const disabled = await h.db.endpoint.create({
      data: { id: "ep_disabledDisabledDisabled", workspaceId: h.workspaceId, name: "off", enabled: false },
    });
    const event = stripeEvent("invoice.paid");
    const response = await post(event, { endpointId: disabled.id });
    expect(response.statusCode).toBe(404);
    expect(await deliveriesOf(event.id)).toHaveLength(0);
  });

  test("a deleted endpoint gets the unknown endpoint's 404 at once, though ingest had it cached, and records nothing", async ({
    ingest: h,
    post,
    deliveriesOf,
  }) => {
    const secret = newTestSigningSecret();
    const { id: endpointId } = await withWorkspace(h.db, h.workspaceId, (tx) =>
      createEndpoint(tx, { box: h.box, workspaceId: h.workspaceId, name: "Old shop", secret }),
    );
    expect((await post(stripeEvent("invoice.paid"), { endpointId, secret })).statusCode).toBe(200);
    await withWorkspace(h.db, h.workspaceId, (tx) => deleteEndpoint(tx, { workspaceId: h.workspaceId, endpointId }));
    const event = stripeEvent("invoice.paid");
    const response = await post(event, { endpointId, secret });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: "endpoint_not_found", message: "No enabled webhook endpoint has this URL." });
    expect(await deliveriesOf(event.id)).toHaveLength(0);
  });

  test("no Stripe-Signature header is 400 missing_signature", async ({ ingest: h, url }) => {
    const response = await h.server.app.inject({
      method: "POST",
      url: url(),
      payload: JSON.stringify(stripeEvent("invoice.paid")),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: "missing_signature", message: "The Stripe-Signature header is missing." });
  });

  test("a header without a timestamp is 400 malformed_signature", async ({ ingest: h, url }) => {
    const response = await h.server.app.inject({
      method: "POST",
      url: url(),
      headers: { "stripe-signature": "v1=abc" },
      payload: "{}",
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe("malformed_signature");
  });

  test("a signature older than 300 s is 400 stale_timestamp", async ({ post, deliveriesOf }) => {
    const event = stripeEvent("invoice.paid");
    const response = await post(event, { timestampSeconds: Math.floor(Date.now() / 1000) - 301 });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe("stale_timestamp");
    expect(await deliveriesOf(event.id)).toHaveLength(0);
  });

  test("a signature dated more than 300 s ahead is 400 stale_timestamp, so it cannot be replayed until then", async ({
    post,
    deliveriesOf,
  }) => {
    const event = stripeEvent("invoice.paid");
    const response = await post(event, { timestampSeconds: Math.floor(Date.now() / 1000) + 10 * 365 * 86_400 });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: "stale_timestamp",
      message: "The Stripe-Signature timestamp is more than 300 seconds in the future.",
    });
    expect(await deliveriesOf(event.id)).toHaveLength(0);
  });

  test("a signature made with another secret is 400 no_matching_signature", async ({ post, deliveriesOf }) => {
    const event = stripeEvent("invoice.paid");
    const response = await post(event, { secret: newTestSigningSecret() });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe("no_matching_signature");
    expect(await deliveriesOf(event.id)).toHaveLength(0);
  });

  test("a body altered after signing is 400 no_matching_signature", async ({ ingest: h, url }) => {
    const request = signedStripeRequest(stripeEvent("invoice.paid"), h.secret);
    const response = await h.server.app.inject({
      method: "POST",
      url: url(),
      headers: request.headers,
      payload: request.body.replace("4200", "1"),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe("no_matching_signature");
  });

  test("any one of several v1 signatures may match", async ({ ingest: h, url }) => {
    const event = stripeEvent("invoice.paid");
    const request = signedStripeRequest(event, h.secret);
    const [t, v1] = request.headers["stripe-signature"].split(",");
    const response = await h.server.app.inject({
      method: "POST",
      url: url(),
      headers: { ...request.headers, "stripe-signature": `${t},v1=${"0".repeat(64)},${v1},v0=legacy` },
      payload: request.body,
    });
    expect(response.statusCode).toBe(200);
  });

  test("a body over 1 MiB is 413", async ({ ingest: h, url }) => {
    const big = JSON.stringify({ ...stripeEvent("invoice.paid"), padding: "x".repeat(1024 * 1024) });
    const response = await h.server.app.inject({
      method: "POST",
      url: url(),
      headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=00" },
      payload: big,
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ error: "payload_too_large", message: "The body is larger than 1 MiB." });
  });

  test("a signed body that is not JSON is 400 invalid_event", async ({ ingest: h, url }) => {
    const request = signedStripeRequest({}, h.secret);
    const body = "not json at all";
    const { signStripePayload } = await import("@hookloop/core");
    const response = await h.server.app.inject({
      method: "POST",
      url: url(),
      headers: { ...request.headers, "stripe-signature": signStripePayload({ payload: body, secret: h.secret }) },
      payload: body,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: "invalid_event", message: "The body is not valid JSON." });
  });

  test("signed JSON that is not a Stripe event is 400 invalid_event saying what is missing", async ({ post }) => {
    const response = await post({ hello: "world" });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe("invalid_event");
    expect(response.json().message).toMatch(/not a Stripe event at "id"/);
  });
});

describe("probing", () => {
  test("an address guessing endpoint ids gets 429 after 30 misses a minute, while real endpoints still answer it", async ({
    ingest: h,
    url,
    post,
  }) => {
    const prober = "203.0.113.9";
    const guess = (index: number) =>
      h.server.app.inject({
        method: "POST",
        url: `/webhooks/stripe/ep_guess${String(index).padStart(20, "0")}`,
        remoteAddress: prober,
        payload: "{}",
      });
    for (let index = 0; index < 30; index++) expect((await guess(index)).statusCode).toBe(404);
    const limited = await guess(30);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers["retry-after"]).toBeDefined();

    const request = signedStripeRequest(stripeEvent("invoice.paid"), h.secret);
    const real = await h.server.app.inject({
      method: "POST",
      url: url(),
      headers: request.headers,
      payload: request.body,
      remoteAddress: prober,
    });
    expect(real.statusCode).toBe(200);
    // another address is not affected
    expect((await post(stripeEvent("invoice.paid"), { endpointId: "ep_AAAAAAAAAAAAAAAAAAAAAAAB" })).statusCode).toBe(404);
  });
});

describe("probing costs no database work once limited", () => {
  test("an address over its limit is refused before any endpoint read, and still served for endpoints ingest knows", async ({
    ingest: h,
    appDb,
    box,
    queue,
  }) => {
    // Ingest's own wiring (server.ts), with an endpoint cache reading through a client that
    // counts its reads: the cache's only query is its endpoint read.
    const { client: counting, reads } = countingQueries(appDb);
    const endpoints = createEndpointCache(counting, { box });
    const app = buildIngestApp({
      receiveDelivery: createDeliveryReceiver(appDb, { endpoints, queue }),
      knowsEndpoint: endpoints.knows,
      readiness: async () => ({}),
    });
    const prober = "203.0.113.10";
    const send = (endpointId: string, remoteAddress = prober) => {
      const request = signedStripeRequest(stripeEvent("invoice.paid"), h.secret);
      return app.inject({
        method: "POST",
        url: `/webhooks/stripe/${endpointId}`,
        headers: request.headers,
        payload: request.body,
        remoteAddress,
      });
    };
    const guess = (index: number) => `ep_guess${String(index).padStart(20, "0")}`;
    try {
      expect((await send(h.endpointId)).statusCode).toBe(200);
      expect(reads.count).toBe(1);
      for (let index = 0; index < 30; index++) expect((await send(guess(index))).statusCode).toBe(404);
      expect(reads.count).toBe(31);
      for (let index = 30; index < 80; index++) expect((await send(guess(index))).statusCode).toBe(429);
      expect((await send("nope")).statusCode).toBe(429);
      expect(reads.count).toBe(31);
      expect((await send(h.endpointId)).statusCode).toBe(200);
      expect((await send(guess(80), "203.0.113.11")).statusCode).toBe(404);
      expect(reads.count).toBeLessThanOrEqual(33);
    } finally {
      await app.close();
    }
  });
});

describe("secret rotation", () => {
  // Each on an endpoint of its own: a bad signature on the file's endpoint (the tests above post
  // some) would hold its re-read of the secret back for a couple of seconds.
  const rotationTest = test.extend("connected", ({ ingest: h }) => async () => {
    const secret = newTestSigningSecret();
    const { id: endpointId } = await withWorkspace(h.db, h.workspaceId, (tx) =>
      createEndpoint(tx, {
        box: h.box,
        workspaceId: h.workspaceId,
        name: "Rotating",
        secret,
        enable: [{ eventType: "invoice.paid" }],
      }),
    );
    const rotate = (now?: Date) => {
      const fresh = newTestSigningSecret();
      return withWorkspace(h.db, h.workspaceId, (tx) =>
        setEndpointSecret(tx, { box: h.box, workspaceId: h.workspaceId, endpointId, secret: fresh, ...(now ? { now } : {}) }),
      ).then(() => fresh);
    };
    return { endpointId, secret, rotate };
  });

  rotationTest("accepts the new secret at once and, for 24 hours, the previous one too", async ({ connected, post }) => {
    const { endpointId, secret: old, rotate } = await connected();
    expect((await post(stripeEvent("invoice.paid"), { endpointId, secret: old })).statusCode).toBe(200);
    const fresh = await rotate();
    expect((await post(stripeEvent("invoice.paid"), { endpointId, secret: fresh })).statusCode).toBe(200);
    expect((await post(stripeEvent("invoice.paid"), { endpointId, secret: old })).statusCode).toBe(200);
  });

  rotationTest("refuses the previous secret once its 24 hours are over", async ({ connected, post }) => {
    const { endpointId, secret: old, rotate } = await connected();
    const fresh = await rotate(new Date(Date.now() - SECRET_ROTATION_GRACE_MS - 60_000));
    expect((await post(stripeEvent("invoice.paid"), { endpointId, secret: fresh })).statusCode).toBe(200);
    const expired = await post(stripeEvent("invoice.paid"), { endpointId, secret: old });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().error).toBe("no_matching_signature");
  });
});

describe("when a backing service is down", () => {
  test("Redis refusing the job still gives 200 for the recorded delivery, and the relay queues it once", async () => {
    const down = await startIngestHarness({ REDIS_URL: "redis://127.0.0.1:1" });
    try {
      const event = stripeEvent("invoice.paid");
      const request = signedStripeRequest(event, down.secret);
      const send = () =>
        down.server.app.inject({
          method: "POST",
          url: `/webhooks/stripe/${down.endpointId}`,
          headers: request.headers,
          payload: request.body,
        });
      // Recorded with its outbox row, the event is safe: Stripe need not retry it.
      const first = await send();
      expect(first.statusCode).toBe(200);
      expect(first.json()).toEqual({ received: true, status: "queued" });
      const ready = await down.server.app.inject({ url: "/readyz" });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().checks.redis).not.toBe("ok");
      // A retry anyway is a duplicate: answered 200, never swallowed, because the relay queues the row.
      expect((await send()).json()).toEqual({ received: true, status: "duplicate" });

      const relayConnection = new Redis(down.environment.redisUrl);
      const relayQueue = openQueue("deliveries", { connection: relayConnection, prefix: down.environment.redisPrefix });
      try {
        expect(await relayDeliveries(down.db, { queue: relayQueue, graceSeconds: 0 })).toBe(1);
        // Relayed again on a later pass, harmlessly: the job id is the delivery id.
        expect(await relayDeliveries(down.db, { queue: relayQueue, graceSeconds: 0 })).toBe(1);
        const [delivery] = await down.db.delivery.findMany({ where: { stripeEventId: event.id } });
        expect(await relayQueue.queue.getJobCounts("waiting")).toEqual({ waiting: 1 });
        expect(await relayQueue.queue.getJob(delivery!.id)).toBeTruthy();
        // The row stays until the worker applies the delivery: Redis could still lose the job.
        expect(await down.db.deliveryOutbox.count()).toBe(1);
      } finally {
        await relayQueue.close();
        relayConnection.disconnect();
      }
    } finally {
      await down.close();
    }
  });

  test("Postgres unreachable gives 503 quickly and records nothing", async () => {
    const down = await startIngestHarness({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nothing" });
    try {
      const started = Date.now();
      const request = signedStripeRequest(stripeEvent("invoice.paid"), down.secret);
      const response = await down.server.app.inject({
        method: "POST",
        url: `/webhooks/stripe/${down.endpointId}`,
        headers: request.headers,
        payload: request.body,
      });
      expect(response.statusCode).toBe(503);
      expect(response.json().error).toBe("unavailable");
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(await down.db.delivery.count()).toBe(0);
    } finally {
      await down.close();
    }
  });

  test("a recording that hangs is answered 503 at the deadline, so Stripe is never left waiting", async ({ url }) => {
    const app = buildIngestApp({
      receiveDelivery: () => new Promise(() => {}),
      knowsEndpoint: () => true,
      readiness: async () => ({ postgres: "ok", redis: "ok" }),
      answerWithinMs: 200,
    });
    try {
      const started = Date.now();
      const response = await app.inject({
        method: "POST",
        url: url(),
        headers: { "stripe-signature": "t=1,v1=x" },
        payload: "{}",
      });
      expect(response.statusCode).toBe(503);
      expect(response.json().error).toBe("unavailable");
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await app.close();
    }
  });
});
