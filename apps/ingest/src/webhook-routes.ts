import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { DeliveryReceiver } from "@hookloop/core";

const endpointIdPattern = /^ep_[A-Za-z0-9_-]{16,64}$/;

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
  probeLimitPerMinute: number;
  answerWithinMs: number;
}> = async (scope, { receiveDelivery, probeLimitPerMinute, answerWithinMs }) => {
  // Strangers guessing endpoint ids are slowed down per IP. Only misses count, and a known endpoint
  // is always served, so Stripe's traffic to real endpoints is never limited.
  const countMiss = scope.createRateLimit({ max: probeLimitPerMinute, timeWindow: 60_000 });
  const notFoundOrLimited = async (request: FastifyRequest, reply: FastifyReply) => {
    const limit = await countMiss(request);
    if (!limit.isAllowed && limit.isExceeded) {
      return reply
        .code(429)
        .header("retry-after", String(limit.ttlInSeconds))
        .send({ error: "too_many_requests", message: "Too many requests for unknown endpoints from this address; slow down." });
    }
    return reply.code(404).send(notFound);
  };

  // Signatures are over the exact bytes Stripe sent: keep the body raw, in this scope only.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));

  scope.post<{ Params: { endpointId: string } }>("/webhooks/stripe/:endpointId", async (request, reply) => {
    const { endpointId } = request.params;
    if (!endpointIdPattern.test(endpointId)) return notFoundOrLimited(request, reply);
    const rawBody = typeof request.body === "string" ? request.body : "";
    const header = request.headers["stripe-signature"];
    const outcome = await within(
      receiveDelivery({ endpointId, rawBody, signatureHeader: Array.isArray(header) ? header.join(",") : header }),
      answerWithinMs,
    );
    switch (outcome.kind) {
      case "endpoint_not_found":
        return notFoundOrLimited(request, reply);
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
