// What ingest does with one POST from Stripe, minus HTTP: find the endpoint, verify the signature,
// record the event once per (endpoint, Stripe event id), and queue it.
import type { DbClient } from "@hookloop/db/client";
import { classifyEvent, parseStripeEvent } from "@hookloop/domain";
import type { TypedQueue } from "@hookloop/queue";
import { verifyStripeSignature, type SignatureProblem } from "../stripe/verify-stripe-signature";
import type { EndpointCache } from "./endpoint-cache";
import type { EnqueueMarker } from "./enqueue-marker";

export type ReceiveDeliveryOptions = { endpointId: string; rawBody: string; signatureHeader: string | undefined };

export type ReceiveOutcome =
  | { kind: "endpoint_not_found" }
  | { kind: "no_signing_secret" }
  | { kind: "bad_signature"; problem: SignatureProblem; message: string }
  | { kind: "invalid_event"; message: string }
  | { kind: "ignored"; deliveryId: string; reason: string }
  | { kind: "queued"; deliveryId: string }
  | { kind: "duplicate"; deliveryId: string | null }
  /** Recorded, but the queue refused it: the relay will queue it, and Stripe's retry is a harmless duplicate. */
  | { kind: "queue_unavailable"; deliveryId: string };

export type DeliveryReceiver = (options: ReceiveDeliveryOptions) => Promise<ReceiveOutcome>;

export function createDeliveryReceiver(deps: {
  db: DbClient;
  endpoints: EndpointCache;
  queue: TypedQueue<"deliveries">;
  /** Clears the outbox rows of deliveries the queue took. */
  enqueued: EnqueueMarker;
  onQueueError?: (error: unknown, deliveryId: string) => void;
}): DeliveryReceiver {
  const { db, endpoints, queue, enqueued } = deps;

  return async function receiveDelivery({ endpointId, rawBody, signatureHeader }) {
    let endpoint = await endpoints.get(endpointId);
    if (!endpoint) return { kind: "endpoint_not_found" };

    let signature = verifyStripeSignature({ rawBody, header: signatureHeader, secrets: endpoint.secrets });
    if (!signature.ok && signature.problem !== "missing_signature" && signature.problem !== "malformed_signature") {
      // The secret may have been pasted or rotated since the cache entry was made.
      endpoint = await endpoints.get(endpointId, { fresh: true });
      if (!endpoint) return { kind: "endpoint_not_found" };
      signature = verifyStripeSignature({ rawBody, header: signatureHeader, secrets: endpoint.secrets });
    }
    if (!endpoint.secrets.length) return { kind: "no_signing_secret" };
    if (!signature.ok) return { kind: "bad_signature", problem: signature.problem, message: signature.message };

    const parsed = parseStripeEvent(rawBody);
    if (!parsed.ok) return { kind: "invalid_event", message: parsed.reason };
    const { event } = parsed;

    let classification = classifyEvent(event.type, endpoint.settings.events);
    if (!classification.accepted) {
      endpoint = (await endpoints.get(endpointId, { fresh: true })) ?? endpoint;
      classification = classifyEvent(event.type, endpoint.settings.events);
    }
    const status = classification.accepted ? "queued" : "ignored";
    const reason = classification.accepted ? null : classification.reason;

    // Records the delivery (and, when queued, its outbox row) in one statement, for the
    // endpoint's own workspace: see hookloop_record_delivery in prisma/migrations.
    const recorded = await db.$queryRaw<Array<{ id: string | null }>>`
      SELECT hookloop_record_delivery(${endpoint.id}, ${event.id}, ${event.type}, ${event.livemode}, ${event.created},
        ${status}::delivery_status, ${reason}, ${rawBody}::jsonb) AS id`;
    const deliveryId = recorded[0]?.id;
    if (!deliveryId) return { kind: "duplicate", deliveryId: null };
    if (!classification.accepted) return { kind: "ignored", deliveryId, reason: reason! };

    try {
      await queue.add(deliveryId, { deliveryId, workspaceId: endpoint.workspaceId });
    } catch (error) {
      deps.onQueueError?.(error, deliveryId);
      return { kind: "queue_unavailable", deliveryId };
    }
    enqueued.mark(deliveryId);
    return { kind: "queued", deliveryId };
  };
}
