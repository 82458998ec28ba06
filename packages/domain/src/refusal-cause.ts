// Why ingest refused a request to a known endpoint before reading it, and what a marketer can do
// about each: the words of the endpoint page's diagnosis and troubleshooting table. No I/O.

/** Every cause, in the order the endpoint page lists them: the usual set-up mistakes first. */
export const refusalCauses = [
  "no_matching_signature",
  "no_signing_secret",
  "stale_timestamp",
  "future_timestamp",
  "malformed_signature",
  "missing_signature",
] as const;
export type RefusalCause = (typeof refusalCauses)[number];

export type RefusalExplanation = {
  /** Completes "41 requests …" (and "1 request …"): what was wrong with them. */
  what: string;
  /** The likely reason, said plainly. */
  likely: string;
  /** What to do about it. */
  fix: string;
};

export const refusalExplanations: Record<RefusalCause, RefusalExplanation> = {
  no_matching_signature: {
    what: "had no valid signature",
    likely:
      "the signing secret pasted here is probably not this endpoint's in Stripe (each Stripe endpoint has its own, test and live mode differ, and “stripe listen” prints one of its own)",
    fix: "In Stripe, open the Webhooks page (Developers, then Webhooks), choose the endpoint whose URL is this page's, reveal its signing secret and paste it here. Stripe retries refused events for up to 3 days, so they arrive once the right secret is saved.",
  },
  no_signing_secret: {
    what: "arrived before a signing secret was pasted here",
    likely: "Stripe is already sending events to this URL, but Hookloop cannot check them without the endpoint's signing secret",
    fix: "Copy this endpoint's signing secret from Stripe (on the Webhooks page under Developers: the endpoint, then Signing secret) and paste it in the signing secret form on this page.",
  },
  stale_timestamp: {
    what: "had a signature more than 5 minutes old",
    likely:
      "they were sent again long after Stripe signed them (replayed by hand, or held up by a proxy), or this server's clock is ahead; the secret itself is right",
    fix: "Make sure this server's clock is synchronised (NTP). Stripe signs each retry afresh, so resend an event from Stripe's dashboard rather than replaying a saved request.",
  },
  future_timestamp: {
    what: "had a timestamp more than 5 minutes ahead of this server's clock",
    likely: "this server's clock is behind; the secret itself is right",
    fix: "Synchronise this server's clock (NTP). Until then every event is refused and Stripe keeps retrying it.",
  },
  malformed_signature: {
    what: "had a Stripe-Signature header without a timestamp or a v1 signature",
    likely: "something other than Stripe is posting to this URL, or a proxy in front of Hookloop changes the header",
    fix: "Give this URL to Stripe only, and let any proxy or tunnel pass the Stripe-Signature header through unchanged.",
  },
  missing_signature: {
    what: "had no Stripe-Signature header",
    likely: "something other than Stripe is posting to this URL, or a proxy in front of Hookloop drops the header",
    fix: "Give this URL to Stripe only, and check that any proxy or tunnel forwards the Stripe-Signature header.",
  },
};

/** Days without an event after which the endpoint page says so, and what to check. */
export const QUIET_ENDPOINT_DAYS = 7;
