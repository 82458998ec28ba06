// A contact's billing state: a pure function of the billing facts of its Stripe customers' events
// (billing-fact.ts), taken in Stripe's order, so every delivery order ends in the same state. No I/O.
import { z } from "zod";
import { monthlyAmountOf, type BillingFact, type SubscriptionFact } from "./billing-fact";
import { isNewerThan, type EventPosition } from "./event-order";

const isoTime = z.iso.datetime({ offset: true });

/**
 * The billing fields of a contact, under these names wherever they leave Hookloop (the CLI, the
 * CSV export, destination messages). Amounts are in minor units of `currency`.
 */
export const billingStateSchema = z.object({
  /** Of the customer's most relevant subscription (see subscriptionStatusRank); null without one. */
  subscriptionStatus: z.string().nullable(),
  plan: z.string().nullable(),
  interval: z.string().nullable(),
  /** Every active or past-due subscription's items, normalised to a month, list price. */
  mrr: z.number().int().nonnegative(),
  /** The most relevant subscription's currency, else the first paid invoice's: mrr and lifetimeValue count this one. */
  currency: z.string().nullable(),
  trialEndsAt: isoTime.nullable(),
  /** When the subscription renews; null when it will not (canceled, or set to end). */
  renewsAt: isoTime.nullable(),
  cancelAtPeriodEnd: z.boolean().nullable(),
  canceledAt: isoTime.nullable(),
  /** Paid invoices, net of their charges' refunds, never below 0. */
  lifetimeValue: z.number().int().nonnegative(),
  firstPaidAt: isoTime.nullable(),
  lastPaidAt: isoTime.nullable(),
  lastPaymentFailedAt: isoTime.nullable(),
});
export type BillingState = z.infer<typeof billingStateSchema>;

export const billingFields = Object.keys(billingStateSchema.shape) as Array<keyof BillingState>;

export const noBilling: BillingState = {
  subscriptionStatus: null,
  plan: null,
  interval: null,
  mrr: 0,
  currency: null,
  trialEndsAt: null,
  renewsAt: null,
  cancelAtPeriodEnd: null,
  canceledAt: null,
  lifetimeValue: 0,
  firstPaidAt: null,
  lastPaidAt: null,
  lastPaymentFailedAt: null,
};

/** A stored billing state (null on contacts no replay has given one yet) as the fields above. */
export function toBillingState(value: unknown): BillingState {
  return billingStateSchema.nullable().parse(value ?? null) ?? noBilling;
}

/** Which subscription speaks for the customer, most relevant first; a status not listed ranks last. */
export const subscriptionStatusRank = ["active", "trialing", "past_due", "unpaid", "paused", "incomplete", "canceled"] as const;

/** Statuses whose subscriptions count in MRR: paying, or expected to pay (past_due is still retried). */
const recurringStatuses = new Set(["active", "past_due"]);

const rankOf = (status: string) => {
  const index = (subscriptionStatusRank as readonly string[]).indexOf(status);
  return index === -1 ? subscriptionStatusRank.length : index;
};

export type BillingHistoryEvent = EventPosition & { billing: BillingFact | null };

/**
 * The rules, over the facts in Stripe's order:
 * - each subscription is its newest snapshot, except that once it has ended (deleted) no later
 *   snapshot revives it;
 * - the most relevant subscription (by subscriptionStatusRank, then the newest) gives the status,
 *   plan and interval (of its first item), trial end, renewal, cancellation and the currency;
 * - mrr adds up every active or past-due subscription in that currency (monthlyAmountOf), rounded
 *   once to a minor unit;
 * - each invoice counts once, and each charge's refunds once, as its newest amount_refunded;
 * - first and last payment are the paid invoices' earliest and latest; the last failure is the newest.
 */
export function billingStateOf(events: readonly BillingHistoryEvent[]): BillingState {
  const ordered = [...events].sort((a, b) => (isNewerThan(a, b) ? 1 : isNewerThan(b, a) ? -1 : 0));
  const subscriptions = new Map<string, { fact: SubscriptionFact; order: number }>();
  const invoices = new Map<string, Extract<BillingFact, { kind: "invoice_paid" }>>();
  const refunds = new Map<string, Extract<BillingFact, { kind: "refund" }>>();
  let lastPaymentFailedAt: string | null = null;

  ordered.forEach(({ billing: fact }, order) => {
    if (!fact) return;
    switch (fact.kind) {
      case "subscription": {
        const current = subscriptions.get(fact.subscriptionId);
        if (!current?.fact.ended || fact.ended) subscriptions.set(fact.subscriptionId, { fact, order });
        break;
      }
      case "invoice_paid":
        invoices.set(fact.invoiceId, fact);
        break;
      case "refund":
        refunds.set(fact.chargeId, fact);
        break;
      case "payment_failed":
        if (!lastPaymentFailedAt || fact.at > lastPaymentFailedAt) lastPaymentFailedAt = fact.at;
        break;
    }
  });

  const statusOf = (fact: SubscriptionFact) => (fact.ended && fact.status !== "incomplete_expired" ? "canceled" : fact.status);
  const relevant = [...subscriptions.values()].sort(
    (a, b) => rankOf(statusOf(a.fact)) - rankOf(statusOf(b.fact)) || b.order - a.order,
  )[0]?.fact;
  const paid = [...invoices.values()];
  const currency = relevant?.currency ?? paid[0]?.currency ?? null;

  const mrr = [...subscriptions.values()]
    .filter(({ fact }) => !fact.ended && recurringStatuses.has(fact.status) && fact.currency === currency)
    .reduce((total, { fact }) => total + monthlyAmountOf(fact.items), 0);
  const invoiced = paid.filter((invoice) => invoice.currency === currency).reduce((total, invoice) => total + invoice.amount, 0);
  const refunded = [...refunds.values()]
    .filter((refund) => refund.fromInvoice && refund.currency === currency)
    .reduce((total, refund) => total + refund.amountRefunded, 0);
  const paidAt = paid.map((invoice) => invoice.paidAt).sort();

  const status = relevant ? statusOf(relevant) : null;
  const live = relevant !== undefined && status !== "canceled" && status !== "incomplete_expired";
  return {
    subscriptionStatus: status,
    plan: relevant?.items[0]?.plan ?? null,
    interval: relevant?.items[0]?.interval ?? null,
    mrr: Math.round(mrr),
    currency,
    trialEndsAt: relevant?.trialEndsAt ?? null,
    renewsAt: live && !relevant.cancelAtPeriodEnd ? relevant.periodEndsAt : null,
    cancelAtPeriodEnd: relevant ? relevant.cancelAtPeriodEnd : null,
    canceledAt: relevant?.canceledAt ?? null,
    lifetimeValue: Math.max(0, invoiced - refunded),
    firstPaidAt: paidAt[0] ?? null,
    lastPaidAt: paidAt.at(-1) ?? null,
    lastPaymentFailedAt,
  };
}
