// Ingest's record step under concurrency: requests arriving together are recorded in shared
// statements, and each must still get the answer it would have got alone.
import { describe, expect } from "vitest";
import type { Db } from "@hookloop/db/client";
import type { SecretBox } from "@hookloop/secrets";
import { countingQueries, newTestSigningSecret, stripeEvent } from "@hookloop/testing";
import { test as baseTest } from "@hookloop/testing/fixtures";
import { createEndpoint } from "../endpoint/create-endpoint";
import { setEndpointSecret } from "../endpoint/set-endpoint-secret";
import { signStripePayload } from "../stripe/verify-stripe-signature";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { createEndpointCache } from "./endpoint-cache";
import { createDeliveryReceiver, type DeliveryReceiver } from "./receive-delivery";

const test = baseTest
  /** Ingest's receiver, for the whole file: it connects as ingest does (`appDb`, row-level security) and caches endpoints. */
  .extend("receive", { scope: "file" }, ({ appDb, box, queue }): DeliveryReceiver =>
    createDeliveryReceiver(appDb, {
      endpoints: createEndpointCache(appDb, { box }),
      queue,
    }),
  )
  .extend(
    "newSignedEndpoint",
    ({ db, box, receive }) =>
      (receiveWith = receive) =>
        newSignedEndpoint({ db, box, receive: receiveWith }),
  )
  /**
   * A receiver of its own whose endpoint cache reads through a client that counts its reads (the
   * cache's only query is its endpoint read), with a 2 s recheck interval.
   */
  .extend("countingReceiver", ({ appDb, box, queue }) => () => {
    const { client: counting, reads } = countingQueries(appDb);
    const endpoints = createEndpointCache(counting, { box, recheckIntervalMs: 2_000 });
    return { reads, receive: createDeliveryReceiver(appDb, { endpoints, queue }) };
  });

async function rotateSecret(db: Db, options: { box: SecretBox; workspaceId: string; endpointId: string }) {
  const secret = newTestSigningSecret();
  await withWorkspace(db, options.workspaceId, (tx) => setEndpointSecret(tx, { ...options, secret }));
  return secret;
}

async function newSignedEndpoint({ db, box, receive }: { db: Db; box: SecretBox; receive: DeliveryReceiver }) {
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
  const postRaw = (rawBody: string, signingSecret = secret) =>
    receive({
      endpointId: endpoint.id,
      rawBody,
      signatureHeader: signStripePayload({ payload: rawBody, secret: signingSecret }),
    });
  const post = (event: unknown, signingSecret = secret) => postRaw(JSON.stringify(event), signingSecret);
  return { workspace, endpoint, secret, post, postRaw };
}

test("the same event posted twenty times at once is recorded and queued once; the other nineteen are duplicates", async ({
  newSignedEndpoint,
  db,
}) => {
  const { endpoint, post } = await newSignedEndpoint();
  const event = stripeEvent("invoice.paid");
  const outcomes = await Promise.all(Array.from({ length: 20 }, () => post(event)));
  expect(outcomes.filter((o) => o.kind === "queued")).toHaveLength(1);
  expect(outcomes.filter((o) => o.kind === "duplicate")).toHaveLength(19);
  const deliveries = await db.delivery.findMany({ where: { endpointId: endpoint.id } });
  expect(deliveries).toHaveLength(1);
  expect(await db.deliveryOutbox.count({ where: { deliveryId: deliveries[0]!.id } })).toBe(1);
});

test("events for endpoints of different workspaces arriving together are each recorded in their own workspace", async ({
  newSignedEndpoint,
  db,
}) => {
  const a = await newSignedEndpoint();
  const b = await newSignedEndpoint();
  const events = Array.from({ length: 10 }, (_, i) => ({ to: i % 2 ? b : a, event: stripeEvent("invoice.paid") }));
  const outcomes = await Promise.all(events.map(({ to, event }) => to.post(event)));
  expect(outcomes.every((o) => o.kind === "queued")).toBe(true);
  for (const { to, event } of events) {
    const [delivery] = await db.delivery.findMany({ where: { stripeEventId: event.id } });
    expect(delivery).toMatchObject({ workspaceId: to.workspace.id, endpointId: to.endpoint.id, status: "queued" });
  }
});

test("an event that cannot be recorded is answered on its own; the events recorded with it are queued", async ({
  newSignedEndpoint,
  db,
}) => {
  const gone = await newSignedEndpoint();
  const kept = await newSignedEndpoint();
  // The endpoint is cached by ingest, then removed: recording its next event fails the shared batch,
  // and, recorded again alone, it is answered as for an unknown endpoint.
  expect((await gone.post(stripeEvent("invoice.paid"))).kind).toBe("queued");
  await db.endpoint.delete({ where: { id: gone.endpoint.id } });
  const events = Array.from({ length: 7 }, (_, i) => ({ to: i === 3 ? gone : kept, event: stripeEvent("invoice.paid") }));
  const results = await Promise.allSettled(events.map(({ to, event }) => to.post(event)));
  expect(results[3]).toEqual({ status: "fulfilled", value: { kind: "endpoint_not_found" } });
  const others = results.filter((_, i) => i !== 3);
  expect(others.every((r) => r.status === "fulfilled" && r.value.kind === "queued")).toBe(true);
  expect(await db.delivery.count({ where: { endpointId: kept.endpoint.id } })).toBe(6);
});

test.for([
  ["a lone \\ud800", (event: object) => JSON.stringify({ ...event, note: "\ud800" })],
  [
    "nesting 20,000 deep",
    (event: object) => JSON.stringify(event).replace(/}$/, `,"deep":${"[".repeat(20_000)}${"]".repeat(20_000)}}`),
  ],
  ["a \\u0000", (event: object) => JSON.stringify({ ...event, note: "\u0000" })],
] as const)(
  "a signed event with %s that Postgres cannot store is invalid, and nothing is recorded",
  async ([, body], { db, newSignedEndpoint }) => {
    const { endpoint, postRaw } = await newSignedEndpoint();
    const outcome = await postRaw(body(stripeEvent("invoice.paid", { email: "grace@example.com" })));
    expect(outcome).toMatchObject({ kind: "invalid_event", message: expect.stringMatching(/^The body (contains|nests)/) });
    expect(await db.delivery.count({ where: { endpointId: endpoint.id } })).toBe(0);
  },
);

describe("bad signatures on a known endpoint", () => {
  test("fifty of them read the endpoint from the database at most twice", async ({ newSignedEndpoint, countingReceiver }) => {
    const { reads, receive } = countingReceiver();
    const { post } = await newSignedEndpoint(receive);
    expect((await post(stripeEvent("invoice.paid"))).kind).toBe("queued");
    const readsBefore = reads.count;
    const outcomes = [];
    for (let i = 0; i < 50; i++) outcomes.push(await post(stripeEvent("invoice.paid"), newTestSigningSecret()));
    expect(outcomes.every((o) => o.kind === "bad_signature" && o.problem === "no_matching_signature")).toBe(true);
    expect(reads.count - readsBefore).toBeGreaterThanOrEqual(1);
    expect(reads.count - readsBefore).toBeLessThanOrEqual(2);
  });

  test("a secret rotated since the endpoint was cached verifies at once", async ({
    db,
    box,
    newSignedEndpoint,
    countingReceiver,
  }) => {
    const { receive } = countingReceiver();
    const { workspace, endpoint, post } = await newSignedEndpoint(receive);
    expect((await post(stripeEvent("invoice.paid"))).kind).toBe("queued");
    const rotated = await rotateSecret(db, { box, workspaceId: workspace.id, endpointId: endpoint.id });
    expect((await post(stripeEvent("invoice.paid"), rotated)).kind).toBe("queued");
  });

  test("right after bad signatures, a rotated secret verifies within the 2 s recheck interval", async ({
    db,
    box,
    newSignedEndpoint,
    countingReceiver,
  }) => {
    const { receive } = countingReceiver();
    const { workspace, endpoint, post } = await newSignedEndpoint(receive);
    expect((await post(stripeEvent("invoice.paid"))).kind).toBe("queued");
    expect((await post(stripeEvent("invoice.paid"), newTestSigningSecret())).kind).toBe("bad_signature");
    const rotated = await rotateSecret(db, { box, workspaceId: workspace.id, endpointId: endpoint.id });
    const started = Date.now();
    let outcome = await post(stripeEvent("invoice.paid"), rotated);
    while (outcome.kind === "bad_signature" && Date.now() - started < 3_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      outcome = await post(stripeEvent("invoice.paid"), rotated);
    }
    expect(outcome.kind).toBe("queued");
    expect(Date.now() - started).toBeLessThan(2_500);
  });
});
