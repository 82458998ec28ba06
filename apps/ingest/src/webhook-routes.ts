import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { endpointIdPattern, type DeliveryReceiver } from "@hookloop/core";
import type { IngestMetrics } from "./metrics";
import { createProbeLimiter } from "./probe-limiter";

const notFound = { error: "endpoint_not_found", message: "No enabled webhook endpoint has this URL." } as const;

/**
 * Settles with the work, or fails once `ms` have passed. A hung Postgres must not hang Stripe's
 * requests (each waits on a connection, then on a query, then maybe on a retry, and these add up),
 * so the answer is bounded here, whatever happens below. Work that finishes after the 503 is
 * harmless: Stripe's retry of a delivery recorded late is answered as a duplicate.
 */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  work.catch(() => {}); // a late failure was already answered 503
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the event could not be recorded within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

export const webhookRoutes: FastifyPluginAsync<{
  receiveDelivery: DeliveryReceiver;
  knowsEndpoint: (endpointId: string) => boolean;
  probeLimitPerMinute: number;
  answerWithinMs: number;
  metrics: IngestMetrics;
}> = async (scope, { receiveDelivery, knowsEndpoint, probeLimitPerMinute, answerWithinMs, metrics }) => {
  // What each request came to, for the metrics; a request that threw has none: "error".
  const outcomes = new WeakMap<FastifyRequest, string>();
  scope.addHook("onResponse", async (request, reply) => {
    const outcome = outcomes.get(request) ?? "error";
    metrics.webhooks.inc({ outcome, status: String(reply.statusCode) });
    metrics.answerSeconds.observe({ outcome }, reply.elapsedTime / 1000);
  });
  const probes = createProbeLimiter({ maxMisses: probeLimitPerMinute, windowMs: 60_000 });
  const limited = (reply: FastifyReply, retryAfterSeconds: number) =>
    reply
      .code(429)
      .header("retry-after", String(retryAfterSeconds))
      .send({ error: "too_many_requests", message: "Too many requests for unknown endpoints from this address; slow down." });
  const answerMiss = async (address: string, reply: FastifyReply) => {
    await probes.countMiss(address);
    return reply.code(404).send(notFound);
  };

  // Signatures are over the exact bytes Stripe sent: keep the body raw, in this scope only.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));

  scope.post<{ Params: { endpointId: string } }>("/webhooks/stripe/:endpointId", async (request, reply) => {
    const { endpointId } = request.params;
    const known = knowsEndpoint(endpointId);
    // Checked before the lookup, so an address over its limit costs no database work.
    const retryAfter = known ? 0 : await probes.retryAfterSeconds(request.ip);
    if (retryAfter) {
      outcomes.set(request, "limited");
      return limited(reply, retryAfter);
    }
    if (!endpointIdPattern.test(endpointId)) {
      outcomes.set(request, "endpoint_not_found");
      return answerMiss(request.ip, reply);
    }
    const rawBody = typeof request.body === "string" ? request.body : "";
    const header = request.headers["stripe-signature"];
    const outcome = await within(
      receiveDelivery({ endpointId, rawBody, signatureHeader: Array.isArray(header) ? header.join(",") : header }),
      answerWithinMs,
    );
    outcomes.set(request, outcome.kind);
    // The causes the endpoint page's diagnosis counts (core's refusal counter), under the same names.
    if (outcome.kind === "bad_signature") metrics.signatureFailures.inc({ cause: outcome.cause });
    if (outcome.kind === "no_signing_secret") metrics.signatureFailures.inc({ cause: "no_signing_secret" });
    switch (outcome.kind) {
      case "endpoint_not_found":
        return answerMiss(request.ip, reply);
      case "no_signing_secret":
        return reply.code(400).send({
          error: "signing_secret_missing",
          message: "This endpoint has no signing secret yet: paste Stripe's signing secret in the Hookloop dashboard.",
        });
      case "bad_signature":
        return reply.code(400).send({ error: outcome.problem, message: outcome.message });
      case "invalid_event":
        return reply.code(400).send({ error: "invalid_event", message: outcome.message });
      case "ignored":
        return reply.code(200).send({ received: true, status: "ignored", reason: outcome.reason });
      case "duplicate":
        return reply.code(200).send({ received: true, status: "duplicate" });
      case "queued":
        return reply.code(200).send({ received: true, status: "queued" });
      case "queue_unavailable":
        // Recorded in Postgres with its outbox row, so it is as good as queued: the worker's relay
        // queues it once Redis is back. Answering 503 would only have Stripe retry (and, after days
        // of a Redis outage, disable the endpoint) for an event that is already safe.
        request.log.warn({ deliveryId: outcome.deliveryId }, "recorded but not queued; the relay will queue it");
        return reply.code(200).send({ received: true, status: "queued" });
    }
  });
};
