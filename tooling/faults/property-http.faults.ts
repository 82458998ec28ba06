// Whatever arrives at the webhook URL that is not a verified Stripe event (random bytes, garbled
// headers, odd methods and paths, and the near misses: a real endpoint with a bad signature, a good
// signature over a changed body, a signed body that is not JSON or not a Stripe event) is answered
// below 500, and nothing is recorded or queued. The ingest service runs as a real process on real
// Postgres and Redis; requests are written to its socket byte by byte, as any client could.
import { createHmac } from "node:crypto";
import { connect } from "node:net";
import type { Queue } from "bullmq";
import fc from "fast-check";
import { afterAll, describe, expect } from "vitest";
import { createEndpoint, createWorkspace, signStripePayload, withWorkspace } from "@hookloop/core";
import type { Db } from "@hookloop/db/client";
import { freePort, startApp, waitUntil } from "@hookloop/e2e/processes";
import { newTestSigningSecret, stripeEvent } from "@hookloop/testing";
import { test as baseTest } from "@hookloop/testing/fixtures";

const test = baseTest
  /** The ingest service as a process, on the file's database and Redis prefix. */
  .extend("ingest", { scope: "file" }, async ({ environment }, { onCleanup }) => {
    const port = await freePort();
    const ingest = startApp("apps/ingest/src/main.ts", { ...environment.env, PORT: String(port), HOST: "127.0.0.1" });
    onCleanup(async () => void (await ingest.stop()));
    await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, {
      what: "ingest to be ready",
      timeoutMs: 60_000,
    });
    return { ...ingest, port };
  });

// The arbitraries below are built from these, once the file's endpoints exist.
let db: Db;
let queue: Queue;
let port: number;
/** An enabled endpoint with a secret, taking every event type this suite sends. */
let endpointId: string;
let secret: string;
/** An endpoint of the same workspace that has no signing secret yet. */
let endpointWithoutSecret: string;
/** Another workspace's endpoint and secret: a signature by the wrong tenant. */
let otherSecret: string;
const statuses = new Map<string, number>();

test.beforeAll(async ({ db: database, box, queue: deliveries, ingest }) => {
  db = database;
  queue = deliveries.queue;
  port = ingest.port;
  const enable = ["customer.created", "customer.updated", "customer.deleted", "invoice.paid"].map((eventType) => ({
    eventType,
    triggerName: "fired",
  }));
  const workspace = await createWorkspace(db, { name: "Acme" });
  secret = newTestSigningSecret();
  endpointId = (
    await withWorkspace(db, workspace.id, (tx) =>
      createEndpoint(tx, { box, workspaceId: workspace.id, name: "Stripe", secret, enable }),
    )
  ).id;
  endpointWithoutSecret = (
    await withWorkspace(db, workspace.id, (tx) =>
      createEndpoint(tx, { box, workspaceId: workspace.id, name: "Not connected", enable }),
    )
  ).id;
  const other = await createWorkspace(db, { name: "Other" });
  otherSecret = newTestSigningSecret();
  await withWorkspace(db, other.id, (tx) =>
    createEndpoint(tx, { box, workspaceId: other.id, name: "Stripe", secret: otherSecret, enable }),
  );
});

afterAll(() => {
  console.info(`ingest answers seen: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
});

type RawRequest = { method: string; path: string; headers: Array<[string, string]>; body: Uint8Array };

/**
 * Writes the request to a fresh connection and reads the status line. `null` when the server
 * closed the connection without an answer (which Node does for requests it cannot parse at all).
 * A request that declares more body than it sends would keep the server waiting: after a short
 * wait the client half-closes, and Node drops the request unanswered.
 */
function send(request: RawRequest): Promise<number | null> {
  const head = [`${request.method} ${request.path} HTTP/1.1`, `host: 127.0.0.1:${port}`, "connection: close"];
  for (const [name, value] of request.headers) head.push(`${name}: ${value}`);
  const bytes = Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`, "latin1"), Buffer.from(request.body)]);
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    const giveUp = setTimeout(() => socket.end(), 700);
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
    socket.on("error", (error: NodeJS.ErrnoException) =>
      error.code === "ECONNRESET" || error.code === "EPIPE" ? undefined : reject(error),
    );
    socket.on("close", () => {
      clearTimeout(giveUp);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1];
      const key = status ?? "no answer";
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      resolve(status ? Number(status) : null);
    });
    socket.write(bytes);
  });
}

/** Stripe's scheme over raw bytes (the server verifies the body it decoded as UTF-8). */
function signBytes(body: Uint8Array, signingSecret: string, timestamp = Math.floor(Date.now() / 1000)) {
  const v1 = createHmac("sha256", signingSecret).update(`${timestamp}.`).update(body).digest("hex");
  return `t=${timestamp},v1=${v1}`;
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));
const realEvent = () =>
  stripeEvent("invoice.paid", { customerId: "cus_fuzz", email: "fuzz@example.com", name: "Fuzz Tester" }) as Record<
    string,
    unknown
  >;

// ---- arbitraries ---------------------------------------------------------------------------

const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code)),
  maxLength: 120,
});
const hex = fc.stringMatching(/^[0-9a-f]{0,70}$/);

const methods = fc.oneof(
  fc.constantFrom("POST", "GET", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "post", "PROPFIND"),
  fc.stringMatching(/^[A-Z]{1,10}$/),
);

const endpointPaths = () =>
  fc.oneof(
    fc.constant(`/webhooks/stripe/${endpointId}`),
    fc.constant(`/webhooks/stripe/${endpointWithoutSecret}`),
    fc.stringMatching(/^[A-Za-z0-9_-]{0,70}$/).map((id) => `/webhooks/stripe/ep_${id}`),
    fc.constantFrom(
      `/webhooks/stripe/${endpointId}/`,
      `/webhooks/stripe/${endpointId}?x=1`,
      `/webhooks/stripe/${endpointId}/extra`,
      `/webhooks/stripe/${endpointId.toUpperCase()}`,
      `/webhooks/stripe/${encodeURIComponent(endpointId)}%00`,
      `//webhooks/stripe/${endpointId}`,
      `/webhooks/stripe/${endpointId}#frag`,
      `/webhooks/stripe/..%2f${endpointId}`,
      "/webhooks/stripe/",
      "/healthz",
      "/readyz",
      "*",
    ),
    fc.webPath().map((path) => (path.startsWith("/") ? path : `/${path}`)),
    fc.stringMatching(/^\/[\x21-\x7e]{0,80}$/),
  );

const signatureHeaders = (body: Uint8Array) =>
  fc.oneof(
    fc.constant(null),
    headerText,
    fc.tuple(fc.integer(), hex).map(([t, v1]) => `t=${t},v1=${v1}`),
    fc.tuple(fc.nat(), hex, hex).map(([t, v1, v0]) => `v0=${v0}, t=${t} ,v1=${v1},v1=`),
    fc.constant(signBytes(body, otherSecret)),
    fc.constant(signBytes(body, secret, Math.floor(Date.now() / 1000) - 301)),
    fc.constant(signBytes(body, secret, Math.floor(Date.now() / 1000) + 3_600)),
    fc.constant(signBytes(body, secret).replace("t=", "T=")),
    // The right signature with its first hex digit changed.
    fc.constant(signBytes(body, secret).replace(/v1=(.)/, (_, digit: string) => `v1=${digit === "0" ? "1" : "0"}`)),
  );

const contentTypes = fc.oneof(
  fc.constant(null),
  fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/octet-stream",
    "",
    ";;;",
  ),
  headerText,
);

/** A content length that is right, wrong, absurd or repeated, or chunked encoding. */
const lengthHeaders = (body: Uint8Array) =>
  fc.oneof(
    fc.constant<Array<[string, string]>>([["content-length", String(body.length)]]),
    fc.constant<Array<[string, string]>>([]),
    // Shorter than the body: the rest reads as a second, garbled request.
    fc.nat({ max: body.length }).map((length): Array<[string, string]> => [["content-length", String(length)]]),
    fc.constant<Array<[string, string]>>([["content-length", String(body.length + 10)]]),
    fc.constantFrom<Array<[string, string]>>(
      [["content-length", "-1"]],
      [["content-length", "abc"]],
      [["content-length", "99999999999999999999"]],
      [["content-length", `${body.length}, ${body.length + 1}`]],
      [
        ["content-length", String(body.length)],
        ["content-length", String(body.length + 1)],
      ],
      [["transfer-encoding", "chunked"]],
      [
        ["transfer-encoding", "chunked"],
        ["content-length", String(body.length)],
      ],
    ),
    headerText.map((value): Array<[string, string]> => [["content-length", value]]),
  );

/**
 * Real events with what Postgres' jsonb cannot store (a lone surrogate escape, nesting 20,000
 * deep, a NUL escape, a number past numeric): signed, they must be refused as 400, not a 503
 * Stripe would retry for days.
 */
const unstorableEvents = () =>
  fc
    .tuple(
      fc.constantFrom(
        `"note":"\\ud800"`,
        `"note":"x\\udfff"`,
        `"note":"\\uD83D\\u0041"`,
        `"deep":${"[".repeat(20_000)}${"]".repeat(20_000)}`,
        `"deep":${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}`,
        `"note":"\\u0000"`,
        `"big":1e200000`,
      ),
      fc.constantFrom("start", "end"),
    )
    .map(([extra, where]) => {
      const text = JSON.stringify(realEvent());
      return utf8(where === "end" ? text.replace(/}$/, `,${extra}}`) : `{${extra},${text.slice(1)}`);
    });

const randomBodies = fc.oneof(
  fc.uint8Array({ maxLength: 2_048 }),
  fc.json().map(utf8),
  fc.string({ unit: "grapheme", maxLength: 300 }).map(utf8),
  fc.constant(utf8(JSON.stringify(realEvent()))),
);

const randomRequests = () =>
  fc
    .oneof(
      randomBodies.map((body) => ({ body, signature: signatureHeaders(body) })),
      // These also with the endpoint's own, current signature: nothing else may be recorded either.
      unstorableEvents().map((body) => ({
        body,
        signature: fc.oneof(fc.constant(signBytes(body, secret)), signatureHeaders(body)),
      })),
    )
    .chain(({ body, signature }) =>
      fc.record({
        method: methods,
        path: endpointPaths(),
        body: fc.constant(body),
        signature,
        contentType: contentTypes,
        length: lengthHeaders(body),
        extra: fc.array(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), headerText), { maxLength: 4 }),
      }),
    );

/** One realistic event, changed in one place so it is no longer a Stripe event. */
const notStripeEvents = fc.oneof(
  fc.json().filter((text) => {
    const value = JSON.parse(text) as unknown;
    return !(value && typeof value === "object" && "object" in value && value.object === "event");
  }),
  fc
    .tuple(
      fc.constantFrom("id", "object", "type", "created", "livemode", "data"),
      fc.oneof(
        fc.constant(undefined),
        fc.constant(null),
        fc.integer({ min: -5, max: 5 }),
        fc.string(),
        fc.constant([]),
        fc.constant({}),
      ),
    )
    .filter(([field, value]) => {
      // Keep only changes that really make it invalid.
      if (field === "id" || field === "type") return typeof value !== "string" || value.length === 0;
      if (field === "created") return typeof value !== "number" || value < 0;
      if (field === "object") return value !== "event";
      if (field === "livemode") return typeof value !== "boolean";
      return !(value && typeof value === "object" && !Array.isArray(value));
    })
    .map(([field, value]) => {
      const event = realEvent();
      if (value === undefined) delete event[field];
      else event[field] = value;
      return JSON.stringify(event);
    }),
  fc.constantFrom(
    JSON.stringify({ ...realEvent(), object: "Event" }),
    JSON.stringify({ ...realEvent(), created: 1.5 }),
    JSON.stringify({ ...realEvent(), created: "1700000000" }),
    JSON.stringify({ ...realEvent(), livemode: "false" }),
    JSON.stringify({ ...realEvent(), data: { object: null } }),
    JSON.stringify({ ...realEvent(), data: { object: [] } }),
    JSON.stringify({ ...realEvent(), id: "" }),
    JSON.stringify([realEvent()]),
    `${JSON.stringify(realEvent())}}`,
    JSON.stringify(realEvent()).slice(0, -1),
    "null",
    "",
  ),
);

type NearMiss = { label: string; path: string; body: Uint8Array; signature: string | undefined };

/** Requests that are nearly right: the real endpoint, a Stripe-shaped body, one thing wrong. */
const nearMisses = (): fc.Arbitrary<NearMiss> =>
  fc.oneof(
    // A good signature, then the body changed: one byte flipped, cut short, or appended to.
    fc
      .tuple(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.constantFrom("flip", "cut", "append", "whitespace"))
      .map(([position, mask, how]) => {
        const original = utf8(JSON.stringify(realEvent()));
        const signature = signBytes(original, secret);
        let body = Uint8Array.from(original);
        const at = position % body.length;
        if (how === "flip") body[at] = body[at]! ^ mask;
        if (how === "cut") body = body.slice(0, at);
        if (how === "append") body = Uint8Array.from([...body, mask]);
        if (how === "whitespace") body = utf8(`${JSON.stringify(realEvent())} `);
        return { label: `signed, then ${how}`, path: `/webhooks/stripe/${endpointId}`, body, signature };
      }),
    // The real endpoint and a real event with a bad signature.
    fc.oneof(hex, headerText).map((v1) => ({
      label: "bad signature",
      path: `/webhooks/stripe/${endpointId}`,
      body: utf8(JSON.stringify(realEvent())),
      signature: `t=${Math.floor(Date.now() / 1000)},v1=${v1}`,
    })),
    // Signed with the right secret, but not JSON.
    fc
      .oneof(fc.uint8Array({ minLength: 1, maxLength: 512 }), fc.string({ minLength: 1 }).map(utf8))
      .filter((body) => {
        try {
          JSON.parse(Buffer.from(body).toString("utf8"));
          return false;
        } catch {
          return true;
        }
      })
      .map((body) => ({
        label: "signed, not JSON",
        path: `/webhooks/stripe/${endpointId}`,
        body,
        signature: signBytes(body, secret),
      })),
    // Signed with the right secret, JSON, but not a Stripe event.
    notStripeEvents.map((text) => {
      const body = utf8(text);
      return {
        label: "signed JSON, not an event",
        path: `/webhooks/stripe/${endpointId}`,
        body,
        signature: signBytes(body, secret),
      };
    }),
    // Signed with the right secret, a Stripe event, but not one Postgres can store.
    unstorableEvents().map((body) => ({
      label: "signed, Postgres cannot store it",
      path: `/webhooks/stripe/${endpointId}`,
      body,
      signature: signBytes(body, secret),
    })),
    // A real event signed correctly, but dated more than 300 s ahead: replayable until then if accepted.
    fc.integer({ min: 301, max: 10 * 365 * 86_400 }).map((ahead) => {
      const body = utf8(JSON.stringify(realEvent()));
      return {
        label: "signed, dated ahead",
        path: `/webhooks/stripe/${endpointId}`,
        body,
        signature: signBytes(body, secret, Math.floor(Date.now() / 1000) + ahead),
      };
    }),
    // A real event signed correctly, for the endpoint that has no secret, or by another tenant's secret.
    fc.constantFrom("no secret", "other tenant").map((label) => {
      const body = utf8(JSON.stringify(realEvent()));
      return label === "no secret"
        ? { label, path: `/webhooks/stripe/${endpointWithoutSecret}`, body, signature: signBytes(body, secret) }
        : { label, path: `/webhooks/stripe/${endpointId}`, body, signature: signBytes(body, otherSecret) };
    }),
  );

// ---- the property ------------------------------------------------------------------------------

async function nothingRecorded() {
  expect(await db.delivery.count()).toBe(0);
  expect(await db.deliveryOutbox.count()).toBe(0);
  const counts = await queue.getJobCounts();
  expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(0);
}

describe("the webhook URL, fed what is not a verified Stripe event", () => {
  test("random methods, paths, headers and bytes: never a 5xx, nothing recorded or queued", async ({ ingest }) => {
    await fc.assert(
      fc.asyncProperty(randomRequests(), async (request) => {
        const headers: Array<[string, string]> = [...request.length, ...request.extra];
        if (request.signature !== null) headers.push(["stripe-signature", request.signature]);
        if (request.contentType !== null) headers.push(["content-type", request.contentType]);
        const status = await send({ method: request.method, path: request.path, headers, body: request.body });
        expect(status === null || status < 500, `answered ${status}`).toBe(true);
        await nothingRecorded();
      }),
      { numRuns: 400 },
    );
    expect(ingest.child.exitCode).toBeNull();
  });

  test("near misses on the real endpoint are refused with the right 4xx and leave nothing behind", async () => {
    await fc.assert(
      fc.asyncProperty(nearMisses(), async (miss) => {
        const headers: Array<[string, string]> = [
          ["content-type", "application/json"],
          ["content-length", String(miss.body.length)],
        ];
        if (miss.signature !== undefined) headers.push(["stripe-signature", miss.signature]);
        const status = await send({ method: "POST", path: miss.path, headers, body: miss.body });
        expect(status, miss.label).toBe(400);
        await nothingRecorded();
      }),
      { numRuns: 300 },
    );
  });

  test("a correctly signed real event is still recorded once (the near misses were near)", async () => {
    const event = realEvent();
    const body = utf8(JSON.stringify(event));
    const headers: Array<[string, string]> = [
      ["content-type", "application/json"],
      ["content-length", String(body.length)],
      ["stripe-signature", signStripePayload({ payload: JSON.stringify(event), secret })],
    ];
    expect(await send({ method: "POST", path: `/webhooks/stripe/${endpointId}`, headers, body })).toBe(200);
    expect(await db.delivery.count()).toBe(1);
    expect(await queue.getJobCounts("waiting", "active", "completed", "delayed")).toMatchObject({ waiting: 1 });
  });

  // Signed by the endpoint's own secret and shaped like a Stripe event, but Postgres could not take
  // it (jsonb refuses the NUL escape, a lone surrogate escape, nesting past its stack, a number past
  // numeric; a timestamp a `created` past year 9999): refused as 400 invalid_event, not a 503
  // Stripe would retry for days.
  test.each([
    ["a NUL character in a string", JSON.stringify({ ...realEvent(), request: { id: "req_\u0000" } })],
    ["a lone \\ud800 in a string", JSON.stringify({ ...realEvent(), request: { id: "req_\ud800" } })],
    ["nesting 20,000 deep", JSON.stringify(realEvent()).replace(/}$/, `,"deep":${"[".repeat(20_000)}${"]".repeat(20_000)}}`)],
    ["a number numeric cannot hold", JSON.stringify(realEvent()).replace(/}$/, `,"big":1e200000}`)],
    ["a `created` past what a timestamp holds", JSON.stringify({ ...realEvent(), created: 10_000_000_000_000 })],
  ])("a signed event with %s is refused as 400 invalid_event", async (_label, text) => {
    const body = utf8(text);
    const headers: Array<[string, string]> = [
      ["content-type", "application/json"],
      ["content-length", String(body.length)],
      ["stripe-signature", signBytes(body, secret)],
    ];
    const status = await send({ method: "POST", path: `/webhooks/stripe/${endpointId}`, headers, body });
    expect(status).toBe(400);
  });
});
