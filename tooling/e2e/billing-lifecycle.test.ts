// Subscriptions as marketers campaign on them: two customers' signed billing histories (a trial
// that converts, upgrades, is refunded twice, falls past due and is canceled; a yearly plan that is
// paused and resumed, with quotes, disputes and failed payments around it) posted to the running
// ingest in a shuffled order; the running worker keeps each contact's billing state as Stripe's
// order says, and the CLI's contacts:list shows it, and fires each subscription change's trigger event once.
import { describe, expect } from "vitest";
import { supportedEventTypes } from "@hookloop/domain";
import { newTestSigningSecret, signedStripeRequest, stripeEvent, type FixtureOptions } from "@hookloop/testing";
import { waitUntil } from "./processes";
import { test } from "./stack";

const day = 86_400;
const start = 1_760_000_000;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
/** The event types pipeline.test.ts posts; this file posts every other supported one. */
const contactStoryTypes = [
  "customer.created",
  "customer.updated",
  "customer.deleted",
  "invoice.paid",
  "invoice.payment_failed",
  "invoice.upcoming",
  "checkout.session.completed",
];

/** The same order every run: a seeded Fisher–Yates shuffle. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  let state = seed;
  for (let index = result.length - 1; index > 0; index--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const other = state % (index + 1);
    [result[index], result[other]] = [result[other]!, result[index]!];
  }
  return result;
}

function adaHistory() {
  const ada = { customerId: "cus_ada", email: "ada@example.com", name: "Ada Lovelace" };
  const trialEnd = start + 14 * day;
  const pro = { id: "sub_ada", priceId: "price_pro", nickname: "Pro", unitAmount: 2900, trialEnd };
  const business = { ...pro, priceId: "price_business", nickname: "Business", unitAmount: 9900 };
  const at = (offset: number, options: FixtureOptions = {}) => ({ ...ada, created: start + offset, ...options });
  return [
    stripeEvent("customer.created", at(0)),
    stripeEvent(
      "customer.subscription.created",
      at(1, { subscription: { ...pro, status: "trialing", currentPeriodEnd: trialEnd } }),
    ),
    stripeEvent(
      "customer.subscription.trial_will_end",
      at(11 * day, { subscription: { ...pro, status: "trialing", currentPeriodEnd: trialEnd } }),
    ),
    stripeEvent(
      "customer.subscription.updated",
      at(14 * day, {
        subscription: { ...pro, status: "active", currentPeriodEnd: start + 44 * day },
        previousAttributes: { status: "trialing" },
      }),
    ),
    stripeEvent("invoice.paid", at(14 * day + 1, { amount: 2900, invoiceId: "in_ada_1" })),
    // An upgrade mid-period: Business from now on, the prorated difference invoiced at once.
    stripeEvent(
      "customer.subscription.updated",
      at(20 * day, {
        subscription: { ...business, status: "active", currentPeriodEnd: start + 44 * day },
        previousAttributes: { items: { data: [{ price: { id: "price_pro", nickname: "Pro" } }] } },
      }),
    ),
    stripeEvent("invoice.paid", at(20 * day + 1, { amount: 5600, invoiceId: "in_ada_2" })),
    // Two refunds of one charge: each event carries the charge's refunded total so far.
    stripeEvent("charge.refunded", at(22 * day, { chargeId: "ch_ada_2", amount: 5600, amountRefunded: 1000 })),
    stripeEvent("charge.refunded", at(23 * day, { chargeId: "ch_ada_2", amount: 5600, amountRefunded: 2500 })),
    stripeEvent("invoice.payment_action_required", at(44 * day, { amount: 9900 })),
    stripeEvent("invoice.payment_failed", at(44 * day + 1, { amount: 9900 })),
    stripeEvent("payment_intent.payment_failed", at(44 * day + 2, { amount: 9900 })),
    stripeEvent(
      "customer.subscription.updated",
      at(44 * day + 3, {
        subscription: { ...business, status: "past_due", currentPeriodEnd: start + 74 * day },
        previousAttributes: { status: "active" },
      }),
    ),
    stripeEvent(
      "customer.subscription.deleted",
      at(60 * day, {
        subscription: { ...business, status: "canceled", canceledAt: start + 60 * day, currentPeriodEnd: start + 74 * day },
      }),
    ),
  ];
}

function graceHistory() {
  const grace = { customerId: "cus_grace", email: "grace@example.com", name: "Grace Hopper" };
  const annual = {
    id: "sub_grace",
    priceId: "price_annual",
    nickname: "Annual",
    unitAmount: 30_000,
    interval: "year" as const,
    quantity: 2,
    currentPeriodEnd: start + 366 * day,
  };
  const at = (offset: number, options: FixtureOptions = {}) => ({ ...grace, created: start + offset, ...options });
  return [
    stripeEvent("customer.created", at(5)),
    stripeEvent("quote.finalized", at(6, { amount: 60_000 })),
    stripeEvent("quote.canceled", at(7, { amount: 72_000 })),
    stripeEvent("quote.accepted", at(8, { amount: 60_000 })),
    stripeEvent("customer.subscription.created", at(9, { subscription: { ...annual, status: "active" } })),
    stripeEvent("invoice.paid", at(10, { amount: 60_000, invoiceId: "in_grace_1" })),
    stripeEvent("payment_intent.succeeded", at(11, { amount: 60_000 })),
    stripeEvent("checkout.session.async_payment_failed", at(2 * day, { amount: 4_500 })),
    stripeEvent("checkout.session.async_payment_succeeded", at(3 * day, { amount: 4_500 })),
    // A dispute names its charge only; the closed one carries the email the merchant submitted as evidence.
    stripeEvent("charge.dispute.created", at(4 * day, { chargeId: "ch_grace_9", amount: 4_500, email: null, name: null })),
    stripeEvent("charge.dispute.closed", at(18 * day, { chargeId: "ch_grace_9", amount: 4_500 })),
    stripeEvent("customer.subscription.paused", at(30 * day, { subscription: { ...annual, status: "paused" } })),
    stripeEvent("customer.subscription.resumed", at(40 * day, { subscription: { ...annual, status: "active" } })),
  ];
}

/** A trigger event for every subscription change but one, to see the others fire alone. */
const changeTriggers = {
  trialing: "trialStarted",
  active: "becameActive",
  past_due: "pastDue",
  canceled: "canceled",
  plan_changed: "planChanged",
};

describe("billing state from Stripe's subscription events", () => {
  test.beforeAll(async ({ apps }) => void apps, 60_000);

  test("signed lifecycles posted in a shuffled order give each contact the billing fields Stripe's order gives", async ({
    cli,
    db,
  }) => {
    const workspace = cli("workspace:create", "--name", "Billing");
    const secret = newTestSigningSecret();
    const endpoint = cli(
      "endpoint:create",
      "--workspace",
      workspace.id,
      "--secret",
      secret,
      ...supportedEventTypes.flatMap((type) => ["--enable", `${type}=${type.replaceAll(".", "_")}`]),
      ...Object.entries(changeTriggers).flatMap(([kind, name]) => ["--enable", `subscription:${kind}=${name}`]),
    );
    const events = [...adaHistory(), ...graceHistory()];
    // With pipeline.test.ts's story, every supported type is posted through ingest.
    expect(new Set([...contactStoryTypes, ...events.map((event) => event.type)])).toEqual(new Set(supportedEventTypes));

    const posted = shuffled(events, 9);
    // Some of Ada's subscription events arrive before her customer event, and her cancellation before the failed payment that led to it.
    const position = (type: string, customer = "cus_ada") =>
      posted.findIndex((event) => event.type === type && (event.data.object.customer ?? event.data.object.id) === customer);
    expect(position("customer.subscription.created")).toBeLessThan(position("customer.created"));
    expect(position("customer.subscription.deleted")).toBeLessThan(position("invoice.payment_failed"));
    for (const event of posted) {
      const request = signedStripeRequest(event, secret);
      const response = await fetch(endpoint.url, { method: "POST", headers: request.headers, body: request.body });
      expect(response.status, await response.clone().text()).toBe(200);
      expect(await response.json()).toEqual({ received: true, status: "queued" });
    }
    // Events naming no email wait (retried with backoff) until their customer's event has arrived.
    await waitUntil(
      async () => (await db.delivery.count({ where: { endpointId: endpoint.id, status: { not: "queued" } } })) === events.length,
      // Up to four retries: about 1 + 2 + 4 + 8 s, each spread by up to half again.
      { what: `${events.length} deliveries to be applied`, timeoutMs: 60_000 },
    );

    const contacts: Array<{ email: string; billing: Record<string, unknown> }> = cli(
      "contacts:list",
      "--workspace",
      workspace.id,
    );
    const billingOf = (email: string) => contacts.find((contact) => contact.email === email)?.billing;
    expect(billingOf("ada@example.com")).toEqual({
      subscriptionStatus: "canceled",
      plan: "Business",
      interval: "month",
      mrr: 0,
      currency: "usd",
      trialEndsAt: iso(start + 14 * day),
      renewsAt: null,
      cancelAtPeriodEnd: false,
      canceledAt: iso(start + 60 * day),
      lifetimeValue: 2900 + 5600 - 2500,
      firstPaidAt: iso(start + 14 * day + 1),
      lastPaidAt: iso(start + 20 * day + 1),
      lastPaymentFailedAt: iso(start + 44 * day + 2),
    });
    expect(billingOf("grace@example.com")).toEqual({
      subscriptionStatus: "active",
      plan: "Annual",
      interval: "year",
      // Two seats at 300.00 a year: 600.00 / 12.
      mrr: 5000,
      currency: "usd",
      trialEndsAt: null,
      renewsAt: iso(start + 366 * day),
      cancelAtPeriodEnd: false,
      canceledAt: null,
      lifetimeValue: 60_000,
      firstPaidAt: iso(start + 10),
      lastPaidAt: iso(start + 10),
      lastPaymentFailedAt: iso(start + 2 * day),
    });

    const triggers: Array<{ name: string; properties: Record<string, unknown> }> = cli(
      "events:list",
      "--workspace",
      workspace.id,
    );
    // A dispute with no email to go by is refused with the reason; everything else is applied.
    const deliveries: Array<{ status: string; reason: string }> = cli("deliveries:list", "--endpoint", endpoint.id);
    const failed = deliveries.filter((delivery) => delivery.status !== "processed");
    expect(failed).toMatchObject([
      { status: "failed", reason: expect.stringMatching(/^The dispute names neither a customer nor an email/) },
    ]);
    expect(triggers.find((trigger) => trigger.name === "charge_dispute_closed")?.properties).toMatchObject({
      status: "lost",
      chargeId: "ch_grace_9",
      amount: 4_500,
    });

    const upgrade = triggers.find(
      (trigger) => trigger.name === "customer_subscription_updated" && trigger.properties.previousPlan === "Pro",
    );
    expect(upgrade?.properties).toMatchObject({ plan: "Business", status: "active", mrr: 9900, amount: 9900, currency: "usd" });
    const refunds = triggers
      .filter((trigger) => trigger.name === "charge_refunded")
      .map((trigger) => trigger.properties.amountRefunded);
    expect(refunds.sort()).toEqual([1000, 2500]);
    // Each subscription change fires once, in the order Stripe's events say, whatever order they arrived in.
    const changeNames = new Set(Object.values(changeTriggers));
    const changes = triggers
      .filter((trigger) => changeNames.has(trigger.name))
      .map((trigger) => `${String(trigger.properties.subscriptionId)} ${trigger.name} ${String(trigger.properties.status)}`)
      .sort();
    expect(changes).toEqual([
      "sub_ada becameActive active",
      "sub_ada canceled canceled",
      "sub_ada pastDue past_due",
      "sub_ada planChanged active",
      "sub_ada trialStarted trialing",
      "sub_grace becameActive active",
      "sub_grace becameActive active",
    ]);
    expect(triggers.find((trigger) => trigger.name === "planChanged")?.properties).toMatchObject({
      plan: "Business",
      previousPlan: "Pro",
    });
    expect(triggers.find((trigger) => trigger.name === "customer_subscription_deleted")?.properties).toMatchObject({
      status: "canceled",
      plan: "Business",
      canceledAt: iso(start + 60 * day),
    });
  }, 90_000);
});
