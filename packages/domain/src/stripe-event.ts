// The parts of a Stripe event Hookloop reads. Everything else in the payload is kept, unread.
import { z } from "zod";

export const stripeEventSchema = z.object({
  id: z.string().min(1).max(255),
  object: z.literal("event"),
  type: z.string().min(1).max(255),
  // Up to the last second of year 9999: what a Postgres timestamp holds.
  created: z.number().int().nonnegative().max(253_402_300_799, "a Unix time in seconds, before year 10000"),
  livemode: z.boolean(),
  data: z.object({
    object: z.record(z.string(), z.unknown()),
    /** On *.updated events: the fields that changed, as they were. */
    previous_attributes: z.record(z.string(), z.unknown()).optional(),
  }),
});

export type StripeEvent = z.infer<typeof stripeEventSchema>;

/** A `\u0000` escape, not preceded by an escaped backslash. */
const escapedNul = /(?:^|[^\\])(?:\\\\)*\\u0000/;

export type ParseStripeEventResult = { ok: true; event: StripeEvent } | { ok: false; reason: string };

/** Parses a webhook body, explaining in one sentence what is wrong with one that is not an event. */
export function parseStripeEvent(body: string): ParseStripeEventResult {
  // Postgres cannot store a NUL character in JSON; Stripe never sends one.
  if (escapedNul.test(body)) return { ok: false, reason: "The body contains a \\u0000 (NUL) character." };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: "The body is not valid JSON." };
  }
  const result = stripeEventSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? ` at "${issue.path.join(".")}"` : "";
    return { ok: false, reason: `The body is not a Stripe event${where}: ${issue?.message ?? "unknown shape"}.` };
  }
  return { ok: true, event: result.data };
}

const customerRef = z.union([z.string(), z.object({ id: z.string() }).loose()]).nullish();
const text = z.string().nullish();
const amount = z.number().int().nullish();
const unixTime = z.number().int().nullish();

/** A price, or the legacy plan object older API versions put beside it on a subscription item. */
const priceSchema = z
  .object({
    id: z.string(),
    nickname: text,
    /** An id, or the product itself where the payload was expanded. */
    product: z.union([z.string(), z.object({ id: z.string(), name: text }).loose()]).nullish(),
    currency: text,
    unit_amount: amount,
    unit_amount_decimal: text,
    /** Legacy plans: the amount and interval sit on the plan itself. */
    amount: amount,
    interval: text,
    interval_count: z.number().int().positive().nullish(),
    usage_type: text,
    recurring: z
      .object({ interval: z.string(), interval_count: z.number().int().positive().nullish(), usage_type: text })
      .loose()
      .nullish(),
  })
  .loose();

const subscriptionItemSchema = z
  .object({
    id: text,
    price: priceSchema.nullish(),
    plan: priceSchema.nullish(),
    quantity: z.number().int().nonnegative().nullish(),
    /** Where API versions from 2025-03-31 keep the billing period. */
    current_period_end: unixTime,
  })
  .loose();

export const stripeObjectSchemas = {
  customer: z.object({ id: z.string(), email: text, name: text, deleted: z.boolean().optional() }).loose(),
  invoice: z
    .object({
      id: text,
      customer: customerRef,
      customer_email: text,
      customer_name: text,
      number: text,
      currency: text,
      amount_due: amount,
      amount_paid: amount,
      amount_remaining: amount,
      hosted_invoice_url: text,
      invoice_pdf: text,
      billing_reason: text,
      status: text,
      next_payment_attempt: z.number().int().nullish(),
      period_end: z.number().int().nullish(),
      status_transitions: z.object({ paid_at: unixTime }).loose().nullish(),
      lines: z
        .object({
          data: z.array(
            z
              .object({
                price: priceSchema.nullish(),
                pricing: z
                  .object({ price_details: z.object({ price: text }).loose().nullish() })
                  .loose()
                  .nullish(),
              })
              .loose(),
          ),
        })
        .loose()
        .nullish(),
    })
    .loose(),
  checkout_session: z
    .object({
      id: z.string(),
      customer: customerRef,
      customer_email: text,
      customer_details: z.object({ email: text, name: text }).loose().nullish(),
      amount_total: amount,
      currency: text,
      mode: text,
      payment_status: text,
      status: text,
      subscription: customerRef,
    })
    .loose(),
  subscription: z
    .object({
      id: z.string(),
      customer: customerRef,
      status: z.string(),
      currency: text,
      items: z
        .object({ data: z.array(subscriptionItemSchema) })
        .loose()
        .nullish(),
      /** Where API versions before 2025-03-31 keep the billing period. */
      current_period_end: unixTime,
      trial_end: unixTime,
      cancel_at_period_end: z.boolean().nullish(),
      cancel_at: unixTime,
      canceled_at: unixTime,
      ended_at: unixTime,
    })
    .loose(),
  charge: z
    .object({
      id: z.string(),
      customer: customerRef,
      billing_details: z.object({ email: text, name: text }).loose().nullish(),
      receipt_email: text,
      amount: amount,
      amount_refunded: amount,
      currency: text,
      refunded: z.boolean().nullish(),
      status: text,
      /** Absent from API versions since 2025-03-31; null on a charge no invoice made. */
      invoice: customerRef,
    })
    .loose(),
  dispute: z
    .object({
      id: z.string(),
      /** An id in webhooks; the charge itself where the payload was expanded. */
      charge: z
        .union([
          z.string(),
          z
            .object({ id: z.string(), customer: customerRef, billing_details: z.object({ email: text }).loose().nullish() })
            .loose(),
        ])
        .nullish(),
      amount: amount,
      currency: text,
      reason: text,
      status: text,
      evidence: z.object({ customer_email_address: text, customer_name: text }).loose().nullish(),
    })
    .loose(),
  payment_intent: z
    .object({
      id: z.string(),
      customer: customerRef,
      receipt_email: text,
      amount: amount,
      amount_received: amount,
      currency: text,
      status: text,
      description: text,
      last_payment_error: z.object({ message: text, code: text, decline_code: text }).loose().nullish(),
    })
    .loose(),
  quote: z
    .object({
      id: z.string(),
      customer: customerRef,
      number: text,
      amount_total: amount,
      currency: text,
      status: text,
      expires_at: unixTime,
    })
    .loose(),
} as const;

export type StripeSubscription = z.infer<typeof stripeObjectSchemas.subscription>;
export type StripePrice = z.infer<typeof priceSchema>;
