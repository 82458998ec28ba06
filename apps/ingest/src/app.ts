// The ingest HTTP service, built without listening so tests can drive it with `inject`.
import rateLimit from "@fastify/rate-limit";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { DeliveryReceiver } from "@hookloop/core";
import { webhookRoutes } from "./webhook-routes";
import { healthRoutes, type ReadinessCheck } from "./health-routes";

export const MAX_BODY_BYTES = 1024 * 1024;

export type IngestDeps = {
  receiveDelivery: DeliveryReceiver;
  readiness: ReadinessCheck;
  /** How many requests for unknown endpoints one IP may make per minute before getting 429s. */
  probeLimitPerMinute?: number;
  /**
   * How long a webhook may take before it is answered 503 anyway (Stripe retries it): well under
   * 3 s, so that even a hung Postgres gets Stripe an answer in time.
   */
  answerWithinMs?: number;
};

export function buildIngestApp(deps: IngestDeps, options: { logger?: FastifyBaseLogger } = {}): FastifyInstance {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: MAX_BODY_BYTES,
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
    request.log.error({ err: error }, "request failed");
    return reply
      .code(503)
      .send({ error: "unavailable", message: "Hookloop could not record the event just now; Stripe will retry it." });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: "not_found", message: "Nothing here." }));

  app.register(healthRoutes, { readiness: deps.readiness });
  app.register(rateLimit, { global: false });
  app.register(webhookRoutes, {
    receiveDelivery: deps.receiveDelivery,
    probeLimitPerMinute: deps.probeLimitPerMinute ?? 30,
    answerWithinMs: deps.answerWithinMs ?? 2_250,
  });
  return app;
}
