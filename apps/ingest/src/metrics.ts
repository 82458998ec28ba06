// What ingest tells Prometheus (GET /metrics): every webhook answer by outcome and status,
// signature failures by cause, how long answers take, and Node's own process metrics.
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;

export function createIngestMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "hookloop_" });
  return {
    registry,
    webhooks: new Counter({
      name: "hookloop_ingest_webhooks_total",
      help: "Webhook requests answered, by outcome (queued, duplicate, ignored, bad_signature, endpoint_not_found, limited, error, …) and HTTP status.",
      labelNames: ["outcome", "status"] as const,
      registers: [registry],
    }),
    signatureFailures: new Counter({
      name: "hookloop_ingest_signature_failures_total",
      help: "Requests to a known endpoint refused before being read, by cause (@hookloop/domain refusalCauses: no_matching_signature, no_signing_secret, stale_timestamp, future_timestamp, malformed_signature, missing_signature).",
      labelNames: ["cause"] as const,
      registers: [registry],
    }),
    answerSeconds: new Histogram({
      name: "hookloop_ingest_answer_seconds",
      help: "From a webhook request's arrival to its answer (verify, record in Postgres, queue), by outcome.",
      labelNames: ["outcome"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}
