// Requests that fail verification are counted per endpoint, cause and hour, through the receiver
// ingest uses, and nothing of them is kept but the count.
import { expect } from "vitest";
import { newTestSigningSecret, stripeEvent } from "@hookloop/testing";
import { test as baseTest } from "@hookloop/testing/fixtures";
import { createEndpoint } from "../endpoint/create-endpoint";
import { deleteEndpoint } from "../endpoint/delete-endpoint";
import { signStripePayload } from "../stripe/verify-stripe-signature";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { createEndpointCache } from "./endpoint-cache";
import { createDeliveryReceiver } from "./receive-delivery";
import { createRefusalCounter } from "./refusal-counter";

const marker = "do-not-keep-4f1c";

const test = baseTest.extend("ingest", ({ appDb, db, box, queue }, { onCleanup }) => {
  // Flushed by the tests themselves: the timer never fires within one.
  const refusals = createRefusalCounter(appDb, { flushEveryMs: 600_000 });
  onCleanup(() => refusals.close());
  const receive = createDeliveryReceiver(appDb, { endpoints: createEndpointCache(appDb, { box }), queue, refusals });
  const newEndpoint = async (secret: string | null = newTestSigningSecret()) => {
    const workspace = await createWorkspace(db, { name: "Acme" });
    const endpoint = await withWorkspace(db, workspace.id, (tx) =>
      createEndpoint(tx, { box, workspaceId: workspace.id, name: "Stripe", ...(secret ? { secret } : {}) }),
    );
    const rawBody = JSON.stringify({ ...stripeEvent("invoice.paid", { email: `${marker}@example.com` }), note: marker });
    const post = (signatureHeader: string | undefined) => receive({ endpointId: endpoint.id, rawBody, signatureHeader });
    const sign = (options: { secret?: string; timestampSeconds?: number } = {}) =>
      signStripePayload({ payload: rawBody, secret: options.secret ?? secret ?? newTestSigningSecret(), ...options });
    const counted = () =>
      db.endpointRefusal.findMany({ where: { endpointId: endpoint.id }, orderBy: { cause: "asc" }, omit: { workspaceId: true } });
    return { workspaceId: workspace.id, endpointId: endpoint.id, post, sign, counted };
  };
  return { refusals, newEndpoint };
});

test("wrongly signed requests are counted by cause and hour, and store no body, no delivery and nothing of the request", async ({
  ingest,
  db,
}) => {
  const { endpointId, post, sign, counted } = await ingest.newEndpoint();
  const now = Math.floor(Date.now() / 1000);
  const wrong = await Promise.all([1, 2, 3].map(() => post(sign({ secret: newTestSigningSecret() }))));
  expect(wrong.map((outcome) => outcome.kind)).toEqual(["bad_signature", "bad_signature", "bad_signature"]);
  expect(await post(sign({ timestampSeconds: now - 3_600 }))).toMatchObject({
    problem: "stale_timestamp",
    cause: "stale_timestamp",
  });
  expect(await post(sign({ timestampSeconds: now + 3_600 }))).toMatchObject({
    problem: "stale_timestamp",
    cause: "future_timestamp",
  });
  expect(await post("v1=abc")).toMatchObject({ cause: "malformed_signature" });
  expect(await post(undefined)).toMatchObject({ cause: "missing_signature" });
  expect(await post(sign())).toMatchObject({ kind: "queued" });

  // Nothing reaches Postgres until the counter flushes.
  expect(await counted()).toEqual([]);
  await ingest.refusals.flush();
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const rows = await counted();
  expect(rows.map(({ cause, count, hour: at }) => ({ cause, count, hour: at }))).toEqual([
    { cause: "future_timestamp", count: 1, hour },
    { cause: "malformed_signature", count: 1, hour },
    { cause: "missing_signature", count: 1, hour },
    { cause: "no_matching_signature", count: 3, hour },
    { cause: "stale_timestamp", count: 1, hour },
  ]);
  expect(rows.every((row) => row.endpointId === endpointId && Date.now() - row.lastAt.getTime() < 60_000)).toBe(true);
  // Only the signed request was recorded; the refused ones left no trace of their body anywhere.
  expect(await db.delivery.count({ where: { endpointId } })).toBe(1);
  expect(JSON.stringify(rows)).not.toContain(marker);
  expect(Object.keys(rows[0]!).sort()).toEqual(["cause", "count", "endpointId", "hour", "lastAt"]);
});

test("a flood of bad requests is one row per cause and hour, added to at each flush", async ({ ingest }) => {
  const { post, sign, counted } = await ingest.newEndpoint();
  const forged = sign({ secret: newTestSigningSecret() });
  await Promise.all(Array.from({ length: 200 }, () => post(forged)));
  await ingest.refusals.flush();
  expect((await counted()).map(({ cause, count }) => ({ cause, count }))).toEqual([
    { cause: "no_matching_signature", count: 200 },
  ]);
  await Promise.all(Array.from({ length: 50 }, () => post(forged)));
  await ingest.refusals.flush();
  expect((await counted()).map(({ cause, count }) => ({ cause, count }))).toEqual([
    { cause: "no_matching_signature", count: 250 },
  ]);
  // A flush with nothing new writes nothing.
  await ingest.refusals.flush();
  expect((await counted()).map(({ count }) => count)).toEqual([250]);
});

test("requests to an endpoint with no signing secret yet are counted as such", async ({ ingest }) => {
  const { post, sign, counted } = await ingest.newEndpoint(null);
  expect(await post(sign())).toEqual({ kind: "no_signing_secret" });
  expect(await post(undefined)).toEqual({ kind: "no_signing_secret" });
  await ingest.refusals.flush();
  expect((await counted()).map(({ cause, count }) => ({ cause, count }))).toEqual([{ cause: "no_signing_secret", count: 2 }]);
});

test("counts for an endpoint deleted before the flush are dropped, and never reach another workspace", async ({
  ingest,
  db,
  appDb,
}) => {
  const doomed = await ingest.newEndpoint();
  const other = await ingest.newEndpoint();
  await doomed.post(undefined);
  await other.post(undefined);
  await withWorkspace(appDb, doomed.workspaceId, (tx) =>
    deleteEndpoint(tx, { workspaceId: doomed.workspaceId, endpointId: doomed.endpointId }),
  );
  await ingest.refusals.flush();
  expect(await doomed.counted()).toEqual([]);
  expect(await db.endpointRefusal.findMany({ where: { endpointId: other.endpointId }, select: { workspaceId: true } })).toEqual([
    { workspaceId: other.workspaceId },
  ]);
});

test("counts Postgres could not take are kept and written with the next flush", async ({ environment, db, box, queue }) => {
  const { createDb } = await import("@hookloop/db/client");
  const lost = createDb({ connectionString: environment.serviceDatabaseUrl, max: 1 });
  const refusals = createRefusalCounter(lost, { flushEveryMs: 600_000 });
  const receive = createDeliveryReceiver(lost, { endpoints: createEndpointCache(lost, { box }), queue, refusals });
  const workspace = await createWorkspace(db, { name: "Acme" });
  const endpoint = await withWorkspace(db, workspace.id, (tx) =>
    createEndpoint(tx, { box, workspaceId: workspace.id, name: "Stripe", secret: newTestSigningSecret() }),
  );
  await receive({ endpointId: endpoint.id, rawBody: "{}", signatureHeader: undefined });
  // The flush's statement fails (as with Postgres away): the count stays in memory.
  const broken = refusals.flush.bind(refusals);
  await db.$executeRawUnsafe(
    `REVOKE EXECUTE ON FUNCTION hookloop_count_refusals(text[], text[], timestamptz[], integer[], timestamptz[], integer) FROM PUBLIC`,
  );
  try {
    await expect(broken()).rejects.toThrow(/permission denied/);
  } finally {
    await db.$executeRawUnsafe(
      `GRANT EXECUTE ON FUNCTION hookloop_count_refusals(text[], text[], timestamptz[], integer[], timestamptz[], integer) TO PUBLIC`,
    );
  }
  await receive({ endpointId: endpoint.id, rawBody: "{}", signatureHeader: undefined });
  await refusals.close();
  await lost.$disconnect();
  expect(await db.endpointRefusal.findMany({ where: { endpointId: endpoint.id }, select: { cause: true, count: true } })).toEqual(
    [{ cause: "missing_signature", count: 2 }],
  );
});
