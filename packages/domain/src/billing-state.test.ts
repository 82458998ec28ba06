import { describe, expect, it } from "vitest";
import type { BillingFact, BillingItem, SubscriptionFact } from "./billing-fact";
import { billingStateOf, noBilling, toBillingState, type BillingHistoryEvent } from "./billing-state";

const at = (second: number) => new Date((1_700_000_000 + second) * 1000);
const iso = (second: number) => at(second).toISOString();
const item = (plan: string, unitAmount: number | null, interval = "month", quantity = 1, intervalCount = 1): BillingItem => ({
  plan,
  currency: "usd",
  interval,
  intervalCount,
  quantity,
  unitAmount,
});
const subscription = (overrides: Partial<SubscriptionFact> = {}): SubscriptionFact => ({
  kind: "subscription",
  subscriptionId: "sub_1",
  status: "active",
  ended: false,
  currency: "usd",
  items: [item("Pro", 2900)],
  trialEndsAt: null,
  periodEndsAt: iso(30 * 86_400),
  cancelAtPeriodEnd: false,
  canceledAt: null,
  ...overrides,
});
let counter = 0;
const event = (
  second: number,
  billing: BillingFact,
  eventId = `evt_${String(counter++).padStart(4, "0")}`,
): BillingHistoryEvent => ({
  eventId,
  created: at(second),
  billing,
});

/** Every order of the events ends the same. */
function everyOrder<T>(events: T[]): T[][] {
  if (events.length <= 1) return [events];
  return events.flatMap((first, index) =>
    everyOrder([...events.slice(0, index), ...events.slice(index + 1)]).map((rest) => [first, ...rest]),
  );
}

describe("billingStateOf", () => {
  it("a trial that converts, falls past due and is canceled ends canceled, whatever the order", () => {
    const lifecycle = [
      event(0, subscription({ status: "trialing", trialEndsAt: iso(14 * 86_400), periodEndsAt: iso(14 * 86_400) })),
      event(14 * 86_400, subscription({ status: "active" })),
      event(14 * 86_400 + 1, {
        kind: "invoice_paid",
        invoiceId: "in_1",
        amount: 2900,
        currency: "usd",
        paidAt: iso(14 * 86_400),
      }),
      event(44 * 86_400, { kind: "payment_failed", at: iso(44 * 86_400) }),
      event(44 * 86_400 + 1, subscription({ status: "past_due" })),
      event(60 * 86_400, subscription({ status: "canceled", ended: true, canceledAt: iso(60 * 86_400) })),
    ];
    const expected = {
      ...noBilling,
      subscriptionStatus: "canceled",
      plan: "Pro",
      interval: "month",
      mrr: 0,
      currency: "usd",
      trialEndsAt: null,
      renewsAt: null,
      cancelAtPeriodEnd: false,
      canceledAt: iso(60 * 86_400),
      lifetimeValue: 2900,
      firstPaidAt: iso(14 * 86_400),
      lastPaidAt: iso(14 * 86_400),
      lastPaymentFailedAt: iso(44 * 86_400),
    };
    for (const order of everyOrder(lifecycle)) expect(billingStateOf(order)).toEqual(expected);
    // Before the cancellation: past due still counts in MRR, and still renews.
    expect(billingStateOf(lifecycle.slice(0, 5))).toMatchObject({
      subscriptionStatus: "past_due",
      mrr: 2900,
      renewsAt: iso(30 * 86_400),
    });
  });

  it("a deleted subscription stays ended when an update created later arrives", () => {
    const state = billingStateOf([
      event(10, subscription({ status: "canceled", ended: true })),
      event(20, subscription({ status: "active" })),
    ]);
    expect(state).toMatchObject({ subscriptionStatus: "canceled", mrr: 0, renewsAt: null });
  });

  it("the most relevant subscription speaks for the customer, and MRR adds every live one in its currency", () => {
    const state = billingStateOf([
      event(0, subscription({ subscriptionId: "sub_old", status: "canceled", ended: true, items: [item("Starter", 900)] })),
      event(1, subscription({ subscriptionId: "sub_trial", status: "trialing", items: [item("Team", 9900)] })),
      event(2, subscription({ subscriptionId: "sub_pro", status: "active", items: [item("Pro", 24_000, "year")] })),
      event(3, subscription({ subscriptionId: "sub_seats", status: "past_due", items: [item("Seat", 500, "month", 3)] })),
      event(4, subscription({ subscriptionId: "sub_eur", status: "past_due", currency: "eur", items: [item("Pro EU", 2500)] })),
    ]);
    // Active outranks the newer past-due ones; trials pay nothing yet, the euro subscription is
    // another currency: 24000 / 12 + 3 × 500.
    expect(state).toMatchObject({ subscriptionStatus: "active", plan: "Pro", interval: "year", mrr: 3500, currency: "usd" });
  });

  it("normalises weeks, days and interval counts to a month, rounding once; metered items add nothing", () => {
    const state = billingStateOf([
      event(
        0,
        subscription({
          items: [
            item("Weekly", 1000, "week"),
            item("Daily", 100, "day"),
            item("Quarterly", 3000, "month", 1, 3),
            item("API", null),
          ],
        }),
      ),
    ]);
    // 1000 × 52 / 12 + 100 × 365 / 12 + 3000 / 3 = 4333.33 + 3041.67 + 1000
    expect(state.mrr).toBe(8375);
  });

  it("an upgrade replaces the plan and MRR; a subscription set to end does not renew", () => {
    const state = billingStateOf([
      event(0, subscription({ items: [item("Pro", 2900)] })),
      event(5, subscription({ items: [item("Business", 9900)], cancelAtPeriodEnd: true })),
    ]);
    expect(state).toMatchObject({ plan: "Business", mrr: 9900, cancelAtPeriodEnd: true, renewsAt: null });
  });

  it("counts each invoice once and each charge's refunds once, as its newest cumulative amount", () => {
    const paid = (id: string, amount: number, second: number): BillingFact => ({
      kind: "invoice_paid",
      invoiceId: id,
      amount,
      currency: "usd",
      paidAt: iso(second),
    });
    const refund = (amountRefunded: number, fromInvoice = true): BillingFact => ({
      kind: "refund",
      chargeId: "ch_1",
      amountRefunded,
      currency: "usd",
      fromInvoice,
    });
    const events = [
      event(0, paid("in_1", 2900, 0)),
      event(1, paid("in_1", 2900, 0)),
      event(100, paid("in_2", 9900, 100)),
      event(200, refund(1000)),
      event(300, refund(2500)),
    ];
    for (const order of everyOrder(events)) {
      expect(billingStateOf(order)).toMatchObject({
        lifetimeValue: 2900 + 9900 - 2500,
        firstPaidAt: iso(0),
        lastPaidAt: iso(100),
      });
    }
    // A charge no invoice made was never counted, so its refund takes nothing away; nor below zero.
    expect(billingStateOf([event(0, paid("in_1", 2900, 0)), event(1, refund(5000, false))]).lifetimeValue).toBe(2900);
    expect(billingStateOf([event(0, paid("in_1", 2900, 0)), event(1, refund(5000))]).lifetimeValue).toBe(0);
  });

  it("a customer with no billing events has none", () => {
    expect(billingStateOf([])).toEqual(noBilling);
    expect(toBillingState(null)).toEqual(noBilling);
  });
});
