// Stripe's webhook signature scheme, through Stripe's own library: HMAC-SHA256 over
// `${t}.${rawBody}`, any v1 signature may match, constant-time comparison, 300 s tolerance.
import Stripe from "stripe";

export const SIGNATURE_TOLERANCE_SECONDS = 300;

const stripeSignature = Stripe.webhooks.signature!;

export type SignatureProblem = "missing_signature" | "malformed_signature" | "stale_timestamp" | "no_matching_signature";

export type SignatureCheck = { ok: true } | { ok: false; problem: SignatureProblem; message: string };

const messages: Record<SignatureProblem, string> = {
  missing_signature: "The Stripe-Signature header is missing.",
  malformed_signature: "The Stripe-Signature header has no timestamp or no v1 signature.",
  stale_timestamp: `The Stripe-Signature timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} seconds away from now.`,
  no_matching_signature: "No signature in the Stripe-Signature header matches this endpoint's signing secret.",
};

const failure = (problem: SignatureProblem): SignatureCheck => ({ ok: false, problem, message: messages[problem] });

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
  let sawStale = false;
  for (const secret of secrets) {
    try {
      stripeSignature.verifyHeader(rawBody, header, secret, SIGNATURE_TOLERANCE_SECONDS, undefined, options.nowSeconds);
      return { ok: true };
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
