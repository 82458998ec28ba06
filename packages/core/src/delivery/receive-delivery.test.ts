// Ingest's record step under concurrency: requests arriving together are recorded in shared
// statements, and each must still get the answer it would have got alone.
import { expect } from "vitest";
import type { Db } from "@hookloop/db/client";
import type { SecretBox } from "@hookloop/secrets";
import { newTestSigningSecret, signedStripeRequest, stripeEvent } from "@hookloop/testing";
import { test as baseTest } from "@hookloop/testing/fixtures";
import { createEndpoint } from "../endpoint/create-endpoint";
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
      () =>
        newSignedEndpoint({ db, box, receive }),
  );

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
  const post = (event: unknown) => {
    const request = signedStripeRequest(event, secret);
    return receive({ endpointId: endpoint.id, rawBody: request.body, signatureHeader: request.headers["stripe-signature"] });
  };
  return { workspace, endpoint, post };
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

test("an event that cannot be recorded fails on its own; the events recorded with it are queued", async ({
  newSignedEndpoint,
  db,
}) => {
  const gone = await newSignedEndpoint();
  const kept = await newSignedEndpoint();
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
