import type { FastifyPluginAsync } from "fastify";
import type { DeliveryReceiver } from "@hookloop/core";

const endpointIdPattern = /^ep_[A-Za-z0-9_-]{16,64}$/;

const notFound = { error: "endpoint_not_found", message: "No enabled webhook endpoint has this URL." } as const;

export const webhookRoutes: FastifyPluginAsync<{ receiveDelivery: DeliveryReceiver }> = async (scope, { receiveDelivery }) => {
  // Signatures are over the exact bytes Stripe sent: keep the body raw, in this scope only.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));

  scope.post<{ Params: { endpointId: string } }>("/webhooks/stripe/:endpointId", async (request, reply) => {
    const { endpointId } = request.params;
    if (!endpointIdPattern.test(endpointId)) return reply.code(404).send(notFound);
    const rawBody = typeof request.body === "string" ? request.body : "";
    const header = request.headers["stripe-signature"];
    const outcome = await receiveDelivery({
      endpointId,
      rawBody,
      signatureHeader: Array.isArray(header) ? header.join(",") : header,
    });
    switch (outcome.kind) {
      case "endpoint_not_found":
        return reply.code(404).send(notFound);
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
        request.log.warn({ deliveryId: outcome.deliveryId }, "recorded but not queued; the relay will queue it");
        return reply.code(503).send({
          error: "queue_unavailable",
          message: "The event is recorded but could not be queued just now; Stripe's retry is safe.",
        });
    }
  });
};
