// The parts of a Stripe event Hookloop reads. Everything else in the payload is kept, unread.
import { z } from "zod";

export const stripeEventSchema = z.object({
  id: z.string().min(1).max(255),
  object: z.literal("event"),
  type: z.string().min(1).max(255),
  // Up to the last second of year 9999: what a Postgres timestamp holds.
  created: z.number().int().nonnegative().max(253_402_300_799, "a Unix time in seconds, before year 10000"),
  livemode: z.boolean(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
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
    })
    .loose(),
} as const;
