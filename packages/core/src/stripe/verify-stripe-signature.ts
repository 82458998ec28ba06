// Stripe's webhook signature scheme, through Stripe's own library: HMAC-SHA256 over
// `${t}.${rawBody}`, any v1 signature may match, constant-time comparison, 300 s tolerance either
// way (Stripe's library only bounds the age, so a timestamp in the future is checked here).
import Stripe from "stripe";

export const SIGNATURE_TOLERANCE_SECONDS = 300;

const stripeSignature = Stripe.webhooks.signature!;

export type SignatureProblem = "missing_signature" | "malformed_signature" | "stale_timestamp" | "no_matching_signature";

/** A failure's `ahead`: the timestamp was in the future (stale_timestamp either way, but the usual cause differs). */
export type SignatureCheck = { ok: true } | { ok: false; problem: SignatureProblem; message: string; ahead?: true };

const messages: Record<SignatureProblem, string> = {
  missing_signature: "The Stripe-Signature header is missing.",
  malformed_signature: "The Stripe-Signature header has no timestamp or no v1 signature.",
  stale_timestamp: `The Stripe-Signature timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} seconds old.`,
  no_matching_signature: "No signature in the Stripe-Signature header matches this endpoint's signing secret.",
};

const failure = (problem: SignatureProblem): SignatureCheck => ({ ok: false, problem, message: messages[problem] });

/**
 * A signature dated ahead would otherwise stay replayable until then. Same problem as a stale one
 * (README: more than 300 s away either way), with its own message, since the usual cause is a clock.
 */
const futureTimestamp: SignatureCheck = {
  ok: false,
  problem: "stale_timestamp",
  ahead: true,
  message: `The Stripe-Signature timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} seconds in the future.`,
};

/** The timestamp as Stripe's library reads it (the last `t=`), which is the one its HMAC covered. */
const signedTimestamp = (header: string) =>
  header.split(",").reduce((found, item) => {
    const [key, value] = item.split("=");
    return key === "t" ? Number.parseInt(value ?? "", 10) : found;
  }, Number.NaN);

/** Checks a raw body against each of the given secrets (current first, then one being rotated out). */
export function verifyStripeSignature(options: {
  rawBody: string;
  header: string | undefined;
  secrets: readonly string[];
  nowSeconds?: number;
}): SignatureCheck {
  const { rawBody, header, secrets } = options;
  if (!header?.trim()) return failure("missing_signature");
  const parts = header.split(",").map((part) => part.trim());
  if (!parts.some((part) => /^t=\d+$/.test(part)) || !parts.some((part) => part.startsWith("v1="))) {
    return failure("malformed_signature");
  }
  const nowSeconds = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  let sawStale = false;
  for (const secret of secrets) {
    try {
      // Stripe's `receivedAt` is in milliseconds.
      stripeSignature.verifyHeader(rawBody, header, secret, SIGNATURE_TOLERANCE_SECONDS, undefined, nowSeconds * 1000);
      return signedTimestamp(header) - nowSeconds > SIGNATURE_TOLERANCE_SECONDS ? futureTimestamp : { ok: true };
    } catch (error) {
      if (error instanceof Error && /tolerance/i.test(error.message)) sawStale = true;
    }
  }
  return failure(sawStale ? "stale_timestamp" : "no_matching_signature");
}

/** The Stripe-Signature header Stripe would send for this body: for tests and the dashboard's test event. */
export function signStripePayload(options: { payload: string; secret: string; timestampSeconds?: number }): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload: options.payload,
    secret: options.secret,
    timestamp: options.timestampSeconds ?? Math.floor(Date.now() / 1000),
  });
}
