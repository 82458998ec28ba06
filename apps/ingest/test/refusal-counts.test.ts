// Why events fail, as ingest sees it: each request to a known endpoint that fails verification is
// answered 400 as before, counted per cause for the endpoint page (and in the Prometheus counter,
// under the same causes), and nothing of it is stored.
import { expect } from "vitest";
import { createEndpoint, withWorkspace } from "@hookloop/core";
import { newTestSigningSecret, signedStripeRequest, stripeEvent } from "@hookloop/testing";
import { startIngestHarness, test } from "./ingest-harness";

const sample = (metrics: string, series: string) => {
  const line = metrics.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
};

test("wrongly signed requests are answered 400, counted by cause for their endpoint and in /metrics, and store no body", async ({
  ingest: h,
}) => {
  const marker = "refused-body-7b2e";
  const inject = (headers: Record<string, string>, payload: string, endpointId = h.endpointId) =>
    h.server.app.inject({ method: "POST", url: `/webhooks/stripe/${endpointId}`, headers, payload });
  const signed = (secret: string, timestampSeconds?: number) =>
    signedStripeRequest(stripeEvent("invoice.paid", { email: `${marker}@example.com` }), secret, { timestampSeconds });
  const before = (await h.server.app.inject({ method: "GET", url: "/metrics" })).body;

  const now = Math.floor(Date.now() / 1000);
  for (const request of [
    signed(newTestSigningSecret()),
    signed(newTestSigningSecret()),
    signed(h.secret, now - 900),
    signed(h.secret, now + 900),
  ]) {
    expect((await inject(request.headers, request.body)).statusCode).toBe(400);
  }
  const unsigned = signed(h.secret);
  const { "stripe-signature": _dropped, ...withoutSignature } = unsigned.headers;
  expect((await inject(withoutSignature, unsigned.body)).json().error).toBe("missing_signature");
  expect((await inject({ ...unsigned.headers, "stripe-signature": `v1=${"0".repeat(64)}` }, unsigned.body)).json().error).toBe(
    "malformed_signature",
  );
  // An endpoint whose secret is not pasted yet.
  const { id: unset } = await withWorkspace(h.db, h.workspaceId, (tx) =>
    createEndpoint(tx, { box: h.box, workspaceId: h.workspaceId, name: "Not set up yet" }),
  );
  expect((await inject(unsigned.headers, unsigned.body, unset)).json().error).toBe("signing_secret_missing");
  // A good one, which is not counted.
  expect((await inject(unsigned.headers, unsigned.body)).statusCode).toBe(200);

  await h.server.refusals.flush();
  const counts = await h.db.endpointRefusal.findMany({
    where: { workspaceId: h.workspaceId },
    orderBy: [{ endpointId: "asc" }, { cause: "asc" }],
  });
  const byEndpoint = (endpointId: string) =>
    Object.fromEntries(counts.filter((row) => row.endpointId === endpointId).map((row) => [row.cause, row.count]));
  expect(byEndpoint(h.endpointId)).toEqual({
    future_timestamp: 1,
    malformed_signature: 1,
    missing_signature: 1,
    no_matching_signature: 2,
    stale_timestamp: 1,
  });
  expect(byEndpoint(unset)).toEqual({ no_signing_secret: 1 });
  expect(JSON.stringify(counts)).not.toContain(marker);
  // The one delivery is the good request's.
  expect(
    (await h.db.delivery.findMany({ where: { workspaceId: h.workspaceId } })).map((delivery) => delivery.stripeEventId),
  ).toEqual([JSON.parse(unsigned.body).id]);

  const scraped = (await h.server.app.inject({ method: "GET", url: "/metrics" })).body;
  const grew = (cause: string) =>
    sample(scraped, `hookloop_ingest_signature_failures_total{cause="${cause}"}`) -
    sample(before, `hookloop_ingest_signature_failures_total{cause="${cause}"}`);
  expect({
    no_matching_signature: grew("no_matching_signature"),
    stale_timestamp: grew("stale_timestamp"),
    future_timestamp: grew("future_timestamp"),
    missing_signature: grew("missing_signature"),
    malformed_signature: grew("malformed_signature"),
    no_signing_secret: grew("no_signing_secret"),
  }).toEqual({ ...byEndpoint(h.endpointId), ...byEndpoint(unset) });
});

test("closing ingest writes the counts it still holds", async () => {
  const own = await startIngestHarness();
  try {
    const request = signedStripeRequest(stripeEvent("invoice.paid"), newTestSigningSecret());
    await own.server.app.inject({
      method: "POST",
      url: `/webhooks/stripe/${own.endpointId}`,
      headers: request.headers,
      payload: request.body,
    });
    await own.server.close();
    expect(await own.db.endpointRefusal.findMany({ select: { cause: true, count: true } })).toEqual([
      { cause: "no_matching_signature", count: 1 },
    ]);
  } finally {
    await own.db.$disconnect();
    await own.environment.cleanup();
  }
});
