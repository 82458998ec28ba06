import { describe, expect } from "vitest";
import { newTestSigningSecret, signedStripeRequest, stripeEvent } from "@hookloop/testing";
import { test } from "./ingest-harness";

/** One sample's value from Prometheus' text format, 0 when the series is absent. */
function sample(metrics: string, series: string): number {
  const line = metrics.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("GET /metrics", () => {
  test("counts webhook answers by outcome and status, and signature failures by cause", async ({ ingest: h }) => {
    const post = (secret: string, endpointId = h.endpointId) => {
      const request = signedStripeRequest(stripeEvent("invoice.paid"), secret);
      return h.server.app.inject({
        method: "POST",
        url: `/webhooks/stripe/${endpointId}`,
        headers: request.headers,
        payload: request.body,
      });
    };
    const before = (await h.server.app.inject({ method: "GET", url: "/metrics" })).body;
    expect((await post(h.secret)).statusCode).toBe(200);
    expect((await post(h.secret)).statusCode).toBe(200);
    expect((await post(newTestSigningSecret())).statusCode).toBe(400);
    expect((await post(h.secret, "ep_nobodyhasthisendpointid")).statusCode).toBe(404);

    const scraped = await h.server.app.inject({ method: "GET", url: "/metrics" });
    expect(scraped.statusCode).toBe(200);
    expect(scraped.headers["content-type"]).toContain("text/plain");
    const grew = (series: string) => sample(scraped.body, series) - sample(before, series);
    expect(grew('hookloop_ingest_webhooks_total{outcome="queued",status="200"}')).toBe(2);
    expect(grew('hookloop_ingest_webhooks_total{outcome="bad_signature",status="400"}')).toBe(1);
    expect(grew('hookloop_ingest_webhooks_total{outcome="endpoint_not_found",status="404"}')).toBe(1);
    expect(grew('hookloop_ingest_signature_failures_total{cause="no_matching_signature"}')).toBe(1);
    expect(grew('hookloop_ingest_answer_seconds_count{outcome="queued"}')).toBe(2);
    // Node's own, under the same prefix.
    expect(scraped.body).toContain("hookloop_process_resident_memory_bytes");
  });
});
