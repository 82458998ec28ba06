// Ingest's record step under concurrency: requests arriving together are recorded in shared
// statements, and each must still get the answer it would have got alone.
import { afterAll, beforeAll, expect, it } from "vitest";
import { Redis } from "ioredis";
import { createDb, type Db } from "@hookloop/db/client";
import { openQueue, type TypedQueue } from "@hookloop/queue";
import { SecretBox, parseKeyring } from "@hookloop/secrets";
import {
  createTestEnvironment,
  newTestSigningSecret,
  signedStripeRequest,
  stripeEvent,
  type TestEnvironment,
} from "@hookloop/testing";
import { createEndpoint } from "../endpoint/create-endpoint";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { createEndpointCache } from "./endpoint-cache";
import { createDeliveryReceiver, type DeliveryReceiver } from "./receive-delivery";

let environment: TestEnvironment;
let db: Db;
/** What ingest connects as: row-level security applies. */
let appDb: Db;
let redis: Redis;
let queue: TypedQueue<"deliveries">;
let box: SecretBox;
let receive: DeliveryReceiver;

beforeAll(async () => {
  environment = await createTestEnvironment();
  db = createDb({ connectionString: environment.databaseUrl, max: 2 });
  appDb = createDb({ connectionString: environment.databaseUrl, max: 8, role: "hookloop_app" });
  redis = new Redis(environment.redisUrl);
  queue = openQueue("deliveries", { connection: redis, prefix: environment.redisPrefix });
  box = new SecretBox(parseKeyring(environment.encryptionKeys));
  receive = createDeliveryReceiver(appDb, {
    endpoints: createEndpointCache(appDb, { box }),
    queue,
  });
});
afterAll(async () => {
  await queue.queue.close();
  redis.disconnect();
  await db.$disconnect();
  await appDb.$disconnect();
  await environment.cleanup();
});

async function newEndpoint() {
  const workspace = await createWorkspace(db, { name: "Acme" });
  const secret = newTestSigningSecret();
  const endpoint = await withWorkspace(db, workspace.id, (tx) =>
    createEndpoint(tx, {
      box,
      workspaceId: workspace.id,
      name: "Stripe",
      secret,
      enable: [{ eventType: "invoice.paid", triggerName: "successfulPayment" }],
    }),
  );
  const post = (event: unknown) => {
    const request = signedStripeRequest(event, secret);
    return receive({ endpointId: endpoint.id, rawBody: request.body, signatureHeader: request.headers["stripe-signature"] });
  };
  return { workspace, endpoint, post };
}

it("the same event posted twenty times at once is recorded and queued once; the other nineteen are duplicates", async () => {
  const { endpoint, post } = await newEndpoint();
  const event = stripeEvent("invoice.paid");
  const outcomes = await Promise.all(Array.from({ length: 20 }, () => post(event)));
  expect(outcomes.filter((o) => o.kind === "queued")).toHaveLength(1);
  expect(outcomes.filter((o) => o.kind === "duplicate")).toHaveLength(19);
  const deliveries = await db.delivery.findMany({ where: { endpointId: endpoint.id } });
  expect(deliveries).toHaveLength(1);
  expect(await db.deliveryOutbox.count({ where: { deliveryId: deliveries[0]!.id } })).toBe(1);
});

it("events for endpoints of different workspaces arriving together are each recorded in their own workspace", async () => {
  const a = await newEndpoint();
  const b = await newEndpoint();
  const events = Array.from({ length: 10 }, (_, i) => ({ to: i % 2 ? b : a, event: stripeEvent("invoice.paid") }));
  const outcomes = await Promise.all(events.map(({ to, event }) => to.post(event)));
  expect(outcomes.every((o) => o.kind === "queued")).toBe(true);
  for (const { to, event } of events) {
    const [delivery] = await db.delivery.findMany({ where: { stripeEventId: event.id } });
    expect(delivery).toMatchObject({ workspaceId: to.workspace.id, endpointId: to.endpoint.id, status: "queued" });
  }
});

it("an event that cannot be recorded fails on its own; the events recorded with it are queued", async () => {
  const gone = await newEndpoint();
  const kept = await newEndpoint();
  // The endpoint is cached by ingest, then deleted: recording its next event fails (ingest answers 503).
  expect((await gone.post(stripeEvent("invoice.paid"))).kind).toBe("queued");
  await db.endpoint.delete({ where: { id: gone.endpoint.id } });
  const events = Array.from({ length: 7 }, (_, i) => ({ to: i === 3 ? gone : kept, event: stripeEvent("invoice.paid") }));
  const results = await Promise.allSettled(events.map(({ to, event }) => to.post(event)));
  expect(results[3]!.status).toBe("rejected");
  const others = results.filter((_, i) => i !== 3);
  expect(others.every((r) => r.status === "fulfilled" && r.value.kind === "queued")).toBe(true);
  expect(await db.delivery.count({ where: { endpointId: kept.endpoint.id } })).toBe(6);
});
