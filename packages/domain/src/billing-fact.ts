// What one Stripe event says about a customer's billing, read from its payload once, when the
// event is planned, and kept with the event in the contact history: the contact's billing state is
// replayed from these facts (billing-state.ts), never from payloads. No I/O.
import { z } from "zod";
import type { StripePrice, StripeSubscription } from "./stripe-event";

const isoTime = z.iso.datetime({ offset: true });

/** One item of a subscription, in the terms the MRR rule needs. */
export const billingItemSchema = z.object({
  /** The price's nickname, else its product's name when the payload carries the product, else the price id. */
  plan: z.string(),
  currency: z.string().nullable(),
  /** day, week, month or year. */
  interval: z.string().nullable(),
  intervalCount: z.number().int().positive(),
  quantity: z.number().int().nonnegative(),
  /** Minor units per interval per unit; null for a metered or tiered price, which has no fixed amount. */
  unitAmount: z.number().nonnegative().nullable(),
});
export type BillingItem = z.infer<typeof billingItemSchema>;

export const billingFactSchema = z.discriminatedUnion("kind", [
  z.object({
    /** A customer.subscription.* event: the subscription as it stood. */
    kind: z.literal("subscription"),
    subscriptionId: z.string(),
    status: z.string(),
    /** customer.subscription.deleted: final, whatever arrives after it. */
    ended: z.boolean(),
    currency: z.string().nullable(),
    items: z.array(billingItemSchema),
    trialEndsAt: isoTime.nullable(),
    /** The end of the current period: the subscription's own (API versions before 2025-03-31), else its items' earliest. */
    periodEndsAt: isoTime.nullable(),
    /** Set to end: cancel_at_period_end, or a cancel_at date. */
    cancelAtPeriodEnd: z.boolean(),
    canceledAt: isoTime.nullable(),
  }),
  z.object({
    /** invoice.paid. */
    kind: z.literal("invoice_paid"),
    invoiceId: z.string(),
    amount: z.number().int(),
    currency: z.string().nullable(),
    paidAt: isoTime,
  }),
  z.object({
    /** invoice.payment_failed, payment_intent.payment_failed, checkout.session.async_payment_failed. */
    kind: z.literal("payment_failed"),
    at: isoTime,
  }),
  z.object({
    /** charge.refunded: the charge's refunded total so far (cumulative, so the newest state counts). */
    kind: z.literal("refund"),
    chargeId: z.string(),
    amountRefunded: z.number().int().nonnegative(),
    currency: z.string().nullable(),
    /** False only for a charge that says no invoice made it: its payment never counted towards lifetime value. */
    fromInvoice: z.boolean(),
  }),
]);
export type BillingFact = z.infer<typeof billingFactSchema>;
export type SubscriptionFact = Extract<BillingFact, { kind: "subscription" }>;

const iso = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000).toISOString() : null);

/** The label marketers know a price by. */
export function planLabel(price: StripePrice): string {
  if (price.nickname?.trim()) return price.nickname.trim();
  if (price.product && typeof price.product === "object" && price.product.name?.trim()) return price.product.name.trim();
  return price.id;
}

function unitAmountOf(price: StripePrice): number | null {
  const usage = price.recurring?.usage_type ?? price.usage_type;
  if (usage === "metered") return null;
  if (typeof price.unit_amount === "number") return price.unit_amount;
  if (price.unit_amount_decimal) {
    const decimal = Number(price.unit_amount_decimal);
    if (Number.isFinite(decimal) && decimal >= 0) return decimal;
  }
  return typeof price.amount === "number" ? price.amount : null;
}

export function subscriptionFact(subscription: StripeSubscription, ended: boolean): SubscriptionFact {
  const items = (subscription.items?.data ?? []).flatMap((item): BillingItem[] => {
    const price = item.price ?? item.plan;
    if (!price) return [];
    return [
      {
        plan: planLabel(price),
        currency: price.currency ?? subscription.currency ?? null,
        interval: price.recurring?.interval ?? price.interval ?? null,
        intervalCount: price.recurring?.interval_count ?? price.interval_count ?? 1,
        quantity: item.quantity ?? 1,
        unitAmount: unitAmountOf(price),
      },
    ];
  });
  const itemPeriodEnds = (subscription.items?.data ?? []).flatMap((item) =>
    item.current_period_end ? [item.current_period_end] : [],
  );
  const periodEnd = subscription.current_period_end ?? (itemPeriodEnds.length ? Math.min(...itemPeriodEnds) : null);
  return {
    kind: "subscription",
    subscriptionId: subscription.id,
    status: subscription.status,
    ended,
    currency: subscription.currency ?? items[0]?.currency ?? null,
    items,
    trialEndsAt: iso(subscription.trial_end),
    periodEndsAt: iso(periodEnd),
    cancelAtPeriodEnd: Boolean(subscription.cancel_at_period_end) || Boolean(subscription.cancel_at),
    canceledAt: iso(subscription.canceled_at),
  };
}

const monthsPerInterval: Record<string, number> = { day: 12 / 365, week: 12 / 52, month: 1, year: 12 };

/**
 * Monthly recurring revenue of a subscription's items, in minor units, unrounded: each item's unit
 * amount × quantity, spread over its interval in months (a year is 12, a week 52/12 a month).
 * Metered and tiered items have no fixed amount and add nothing. Discounts are not subtracted.
 */
export function monthlyAmountOf(items: readonly BillingItem[]): number {
  return items.reduce((total, item) => {
    const months = item.interval ? monthsPerInterval[item.interval] : undefined;
    if (item.unitAmount === null || months === undefined) return total;
    return total + (item.unitAmount * item.quantity) / (months * item.intervalCount);
  }, 0);
}
