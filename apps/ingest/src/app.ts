// The ingest HTTP service, built without listening so tests can drive it with `inject`.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { DeliveryReceiver } from "@hookloop/core";
import { healthRoutes, type ReadinessCheck } from "./health-routes";
import { createIngestMetrics, type IngestMetrics } from "./metrics";
import { metricsRoutes } from "./metrics-routes";
import { webhookRoutes } from "./webhook-routes";

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * How long a client may take, so a connection held open by a half-sent request (slowloris) is cut
 * off instead of held for as long as the client likes. Stripe sends a few kilobytes at once, from
 * data centres, and ingest answers within `answerWithinMs`, so none of these is near real traffic.
 */
export type IngestTimeouts = {
  /** All the headers (at most Node's 16 KiB), from the connection's first byte: a client sends them in one go. */
  headersMs: number;
  /** The whole request, body included (at most 1 MiB): 20 s is 50 KiB/s for the largest body allowed. */
  requestMs: number;
  /** No byte either way on a socket mid-request: real senders never pause, and ingest answers within 2.25 s. */
  idleMs: number;
  /**
   * An idle keep-alive connection between requests. Fastify's default, 72 s, outlasts the 60 s
   * idle timeout of common load balancers, so that the balancer, not ingest, closes a shared
   * connection (closing it here could race a request the balancer is sending on it: a 502).
   */
  keepAliveMs: number;
  /** How often Node checks the header and request deadlines: the deadlines are met to within this. */
  checkEveryMs: number;
};

export const INGEST_TIMEOUTS: IngestTimeouts = {
  headersMs: 10_000,
  requestMs: 20_000,
  idleMs: 10_000,
  keepAliveMs: 72_000,
  checkEveryMs: 1_000,
};

export type IngestDeps = {
  receiveDelivery: DeliveryReceiver;
  /** Whether the endpoint cache already knows this id, so a request for it skips the probe limit. */
  knowsEndpoint: (endpointId: string) => boolean;
  readiness: ReadinessCheck;
  /** How many requests for unknown endpoints one IP may make per minute before getting 429s. */
  probeLimitPerMinute?: number;
  /**
   * How long a webhook may take before it is answered 503 anyway (Stripe retries it): well under
   * 3 s, so that even a hung Postgres gets Stripe an answer in time.
   */
  answerWithinMs?: number;
  /** What /metrics reports; a registry of its own by default. */
  metrics?: IngestMetrics;
};

export function buildIngestApp(
  deps: IngestDeps,
  options: { logger?: FastifyBaseLogger; timeouts?: IngestTimeouts } = {},
): FastifyInstance {
  const timeouts = options.timeouts ?? INGEST_TIMEOUTS;
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: MAX_BODY_BYTES,
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: timeouts.checkEveryMs },
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // Stripe and load balancers keep connections open; answer them without holding shutdown.
    forceCloseConnections: "idle",
    return503OnClosing: true,
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode;
    if (status === 413) {
      return reply.code(413).send({ error: "payload_too_large", message: "The body is larger than 1 MiB." });
    }
    if (status && status >= 400 && status < 500) {
      return reply.code(status).send({ error: "bad_request", message: error.message });
    }
    // Only these fields: a library's error can carry more (pg's `where` and `detail` quote the
    // statement's values, here a payload with a customer's email), and pino would log them all.
    const { name, message, stack } = error;
    const code = "code" in error ? error.code : undefined;
    request.log.error({ error: { name, message, code, stack } }, "request failed");
    return reply
      .code(503)
      .send({ error: "unavailable", message: "Hookloop could not record the event just now; Stripe will retry it." });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: "not_found", message: "Nothing here." }));

  const metrics = deps.metrics ?? createIngestMetrics();
  app.register(healthRoutes, { readiness: deps.readiness });
  app.register(metricsRoutes, { metrics });
  app.register(webhookRoutes, {
    metrics,
    receiveDelivery: deps.receiveDelivery,
    knowsEndpoint: deps.knowsEndpoint,
    probeLimitPerMinute: deps.probeLimitPerMinute ?? 30,
    answerWithinMs: deps.answerWithinMs ?? 2_250,
  });
  return app;
}
