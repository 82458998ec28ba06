// What ingest does with one POST from Stripe, minus HTTP: find the endpoint, verify the signature,
// record the event once per (endpoint, Stripe event id), and queue it.
import { sqlPool, type Db, type SqlPool } from "@hookloop/db/client";
import { classifyEvent, parseStripeEvent, type RefusalCause } from "@hookloop/domain";
import type { TypedQueue } from "@hookloop/queue";
import { z } from "zod";
import { verifyStripeSignature, type SignatureProblem } from "../stripe/verify-stripe-signature";
import type { EndpointCache } from "./endpoint-cache";
import type { RefusalCounter } from "./refusal-counter";
import { unstorablePayloadReason } from "./storable-payload";

export type ReceiveDeliveryOptions = { endpointId: string; rawBody: string; signatureHeader: string | undefined };

export type ReceiveOutcome =
  | { kind: "endpoint_not_found" }
  | { kind: "no_signing_secret" }
  /** `cause` says a little more than the problem Stripe is answered with: a stale timestamp may be one ahead. */
  | { kind: "bad_signature"; problem: SignatureProblem; cause: RefusalCause; message: string }
  | { kind: "invalid_event"; message: string }
  | { kind: "ignored"; deliveryId: string; reason: string }
  | { kind: "queued"; deliveryId: string }
  | { kind: "duplicate"; deliveryId: string | null }
  /** Recorded, but the queue refused it: the relay will queue it, and Stripe's retry is a harmless duplicate. */
  | { kind: "queue_unavailable"; deliveryId: string };

export type DeliveryReceiver = (options: ReceiveDeliveryOptions) => Promise<ReceiveOutcome>;

export type DeliveryReceiverOptions = {
  endpoints: EndpointCache;
  queue: TypedQueue<"deliveries">;
  onQueueError?: (error: unknown, deliveryId: string) => void;
  /** Counts each request to a known endpoint that fails verification, by cause (no body kept). */
  refusals?: RefusalCounter;
  /** The priority a workspace's next delivery is queued with (burst-priority.ts); none without it. */
  priorityOf?: (workspaceId: string) => number | undefined;
};

/**
 * The client, not a WorkspaceTx: the tenant is known only once the endpoint is read, and
 * hookloop_record_deliveries writes each delivery under its endpoint's workspace.
 */
export function createDeliveryReceiver(db: Db, options: DeliveryReceiverOptions): DeliveryReceiver {
  const { endpoints, queue } = options;
  const record = createDeliveryRecorder(sqlPool(db));

  return async function receiveDelivery({ endpointId, rawBody, signatureHeader }) {
    let endpoint = await endpoints.get(endpointId);
    if (!endpoint) return { kind: "endpoint_not_found" };

    let signature = verifyStripeSignature({ rawBody, header: signatureHeader, secrets: endpoint.secrets });
    if (!signature.ok && signature.problem === "no_matching_signature") {
      // The secret may have been pasted or rotated since the cache entry was made (at most one
      // such read per endpoint every few seconds, however many bad signatures arrive). A stale
      // timestamp matched a secret already: a fresh read could not change its answer.
      endpoint = await endpoints.recheck(endpointId);
      if (!endpoint) return { kind: "endpoint_not_found" };
      signature = verifyStripeSignature({ rawBody, header: signatureHeader, secrets: endpoint.secrets });
    }
    if (!endpoint.secrets.length) {
      options.refusals?.count(endpoint.id, "no_signing_secret");
      return { kind: "no_signing_secret" };
    }
    if (!signature.ok) {
      const cause = signature.ahead ? "future_timestamp" : signature.problem;
      options.refusals?.count(endpoint.id, cause);
      return { kind: "bad_signature", problem: signature.problem, cause, message: signature.message };
    }

    const parsed = parseStripeEvent(rawBody);
    if (!parsed.ok) return { kind: "invalid_event", message: parsed.reason };
    const unstorable = unstorablePayloadReason(rawBody);
    if (unstorable) return { kind: "invalid_event", message: unstorable };
    const { event } = parsed;

    let classification = classifyEvent(event.type, endpoint.settings.events);
    if (!classification.accepted) {
      endpoint = (await endpoints.get(endpointId, { fresh: true })) ?? endpoint;
      classification = classifyEvent(event.type, endpoint.settings.events);
    }
    const status = classification.accepted ? "queued" : "ignored";
    const reason = classification.accepted ? null : classification.reason;

    // Records the delivery (and, when queued, its outbox row) for the endpoint's own workspace,
    // batched with whatever else arrives meanwhile (createDeliveryRecorder below).
    let deliveryId: string | null;
    try {
      deliveryId = await record({
        endpointId: endpoint.id,
        stripeEventId: event.id,
        type: event.type,
        livemode: event.livemode,
        created: event.created,
        status,
        reason,
        rawBody,
      });
    } catch (error) {
      // A failure here is this delivery's own (a failed batch is retried one by one). Postgres'
      // message for it may quote the payload (a "where" with the JSON text, a "detail" with the
      // row), so only its code goes on.
      if (!isDatabaseError(error)) throw error;
      // The endpoint was deleted since the cache read it (hookloop_record_deliveries' no_data_found):
      // unknown from now on, and answered as such.
      if (error.code === "P0002") {
        await endpoints.get(endpointId, { fresh: true });
        return { kind: "endpoint_not_found" };
      }
      if (refusesThePayload(error)) {
        return { kind: "invalid_event", message: `Postgres could not store this event (SQLSTATE ${error.code}).` };
      }
      throw new DeliveryNotRecordedError(error.code);
    }
    if (!deliveryId) return { kind: "duplicate", deliveryId: null };
    if (!classification.accepted) return { kind: "ignored", deliveryId, reason: reason! };

    try {
      const priority = options.priorityOf?.(endpoint.workspaceId);
      await queue.add(deliveryId, { deliveryId, workspaceId: endpoint.workspaceId }, priority ? { priority } : undefined);
    } catch (error) {
      options.onQueueError?.(error, deliveryId);
      return { kind: "queue_unavailable", deliveryId };
    }
    return { kind: "queued", deliveryId };
  };
}

/** Recording a delivery failed in Postgres; the SQLSTATE says why, without Postgres' text, which may quote the payload. */
export class DeliveryNotRecordedError extends Error {
  override name = "DeliveryNotRecordedError";
  constructor(readonly code: string) {
    super(`Postgres refused to record the delivery (SQLSTATE ${code}).`);
  }
}

/** An error Postgres answered with (pg's DatabaseError): it carries a five-character SQLSTATE. */
const isDatabaseError = (error: unknown): error is Error & { code: string } =>
  error instanceof Error &&
  "severity" in error &&
  "code" in error &&
  typeof error.code === "string" &&
  /^[0-9A-Z]{5}$/.test(error.code);

/**
 * Data exceptions (class 22: jsonb's syntax, numeric overflow, untranslatable characters) and a
 * body nested past Postgres' stack (54001) are the payload's fault and would fail every retry the
 * same way; anything else (a connection lost, a deadline) may pass, so it stays a 503.
 */
const refusesThePayload = (error: { code: string }) => error.code.startsWith("22") || error.code === "54001";

/** The rows of hookloop_record_deliveries: one per delivery inserted. */
const recordedRowsSchema = z.array(
  z.object({ out_endpoint_id: z.string(), out_stripe_event_id: z.string(), out_delivery_id: z.string() }),
);

type DeliveryRecord = {
  endpointId: string;
  stripeEventId: string;
  type: string;
  livemode: boolean;
  created: number;
  status: "queued" | "ignored";
  reason: string | null;
  rawBody: string;
};

/**
 * Records deliveries through hookloop_record_deliveries (prisma/functions), several per statement
 * and transaction when requests arrive together: a request that finds the batches in flight waits
 * for the next one instead of taking a connection and a commit of its own. Under light load every
 * request is a batch of one. Each caller gets its answer only after the batch holding its delivery
 * is committed. If a batch
 * fails (an endpoint deleted meanwhile, a payload Postgres refuses), its deliveries are recorded
 * again one by one, so each gets its own answer and no one fails for a neighbour.
 */
function createDeliveryRecorder(pool: SqlPool, options: { maxInFlight?: number; maxBatch?: number } = {}) {
  // Two batches in flight: one fills while the other commits. More only split the same requests
  // into smaller batches and more commits (measured on 2 cores: 2 beat 4 on throughput and tail).
  const maxInFlight = options.maxInFlight ?? 2;
  const maxBatch = options.maxBatch ?? 64;
  type Waiting = { record: DeliveryRecord; resolve: (id: string | null) => void; reject: (error: unknown) => void };
  let waiting: Waiting[] = [];
  let inFlight = 0;

  const recordBatch = async (records: DeliveryRecord[]): Promise<Array<string | null>> => {
    const result = await pool.query({
      name: "hookloop_record_deliveries",
      text: "SELECT * FROM hookloop_record_deliveries($1, $2, $3, $4, $5, $6::delivery_status[], $7, $8)",
      values: [
        records.map((r) => r.endpointId),
        records.map((r) => r.stripeEventId),
        records.map((r) => r.type),
        records.map((r) => r.livemode),
        records.map((r) => r.created),
        records.map((r) => r.status),
        records.map((r) => r.reason),
        records.map((r) => r.rawBody),
      ],
    });
    const inserted = new Map(
      recordedRowsSchema
        .parse(result.rows)
        .map((row) => [`${row.out_endpoint_id} ${row.out_stripe_event_id}`, row.out_delivery_id]),
    );
    // The same event twice in one batch was inserted once: the first asker gets it, the other is a duplicate.
    return records.map((r) => {
      const key = `${r.endpointId} ${r.stripeEventId}`;
      const id = inserted.get(key) ?? null;
      inserted.delete(key);
      return id;
    });
  };

  const send = () => {
    while (inFlight < maxInFlight && waiting.length) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      inFlight++;
      void recordBatch(batch.map((w) => w.record))
        .then(
          (ids) => batch.forEach((w, i) => w.resolve(ids[i] ?? null)),
          async (error: unknown) => {
            if (batch.length === 1) return batch[0]!.reject(error);
            for (const w of batch) await recordBatch([w.record]).then((ids) => w.resolve(ids[0] ?? null), w.reject);
          },
        )
        .finally(() => {
          inFlight--;
          send();
        });
    }
  };

  /** The new delivery's id, or null when (endpoint, Stripe event id) was already recorded. */
  return (record: DeliveryRecord) =>
    new Promise<string | null>((resolve, reject) => {
      waiting.push({ record, resolve, reject });
      send();
    });
}
