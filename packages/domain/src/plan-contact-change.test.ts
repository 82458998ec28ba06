import { describe, expect, it } from "vitest";
import { isNewerThan } from "./event-order";
import { splitFullName, normaliseEmail } from "./contact-fields";
import { planContactChange, type EndpointSettings } from "./plan-contact-change";
import { signingSecretSchema } from "./signing-secret";
import { classifyEvent } from "./classify-event";
import { parseStripeEvent, type StripeEvent } from "./stripe-event";
import { stripeEventCatalogue, supportedEventTypes } from "./stripe-event-catalogue";
import { triggerNameSchema } from "./trigger-name";

const settings: EndpointSettings = {
  syncNames: true,
  onCustomerDeleted: "delete",
  events: [
    { eventType: "invoice.paid", enabled: true, triggerName: "successfulPayment" },
    { eventType: "customer.created", enabled: true, triggerName: null },
    { eventType: "customer.deleted", enabled: true, triggerName: "gone" },
  ],
};

const event = (type: string, object: Record<string, unknown>): StripeEvent => ({
  id: "evt_1",
  object: "event",
  type,
  created: 1_700_000_000,
  livemode: false,
  data: { object },
});

describe("planContactChange", () => {
  it("an invoice names the contact by its customer email and fires the mapped trigger", () => {
    const plan = planContactChange(
      event("invoice.paid", {
        id: "in_1",
        customer: "cus_1",
        customer_email: " Ada@Example.com",
        customer_name: "Ada Lovelace",
        amount_paid: 900,
        currency: "eur",
        hosted_invoice_url: "https://invoice.stripe.com/i/x",
      }),
      settings,
    );
    expect(plan).toEqual({
      kind: "upsert",
      customerId: "cus_1",
      email: "ada@example.com",
      name: { firstName: "Ada", lastName: "Lovelace" },
      authoritative: false,
      billing: { kind: "invoice_paid", invoiceId: "in_1", amount: 900, currency: "eur", paidAt: "2023-11-14T22:13:20.000Z" },
      triggers: [
        {
          name: "successfulPayment",
          properties: {
            invoiceId: "in_1",
            amount: 900,
            currency: "eur",
            hostedInvoiceUrl: "https://invoice.stripe.com/i/x",
            customerId: "cus_1",
          },
        },
      ],
    });
  });

  it("accepts an expanded customer object on an invoice", () => {
    const plan = planContactChange(
      event("invoice.paid", { id: "in_1", customer: { id: "cus_9", object: "customer" } }),
      settings,
    );
    expect(plan).toMatchObject({ kind: "upsert", customerId: "cus_9", email: null });
  });

  it("a customer event speaks for the customer and fires nothing when no trigger is named", () => {
    const plan = planContactChange(event("customer.created", { id: "cus_1", email: "a@b.co", name: "Cher" }), settings);
    expect(plan).toEqual({
      kind: "upsert",
      customerId: "cus_1",
      email: "a@b.co",
      name: { firstName: "Cher", lastName: null },
      authoritative: true,
      billing: null,
      triggers: [],
    });
  });

  it("customer.deleted follows the endpoint's deletion behaviour", () => {
    expect(planContactChange(event("customer.deleted", { id: "cus_1", email: "a@b.co" }), settings)).toMatchObject({
      kind: "delete",
      customerId: "cus_1",
      behaviour: "delete",
      triggers: [{ name: "gone" }],
    });
  });

  it("ignores an email that is not an email", () => {
    expect(planContactChange(event("customer.created", { id: "cus_1", email: "not an email" }), settings)).toMatchObject({
      email: null,
    });
  });

  it("drops names when the endpoint does not sync them", () => {
    const plan = planContactChange(event("customer.created", { id: "cus_1", email: "a@b.co", name: "Ada" }), {
      ...settings,
      syncNames: false,
    });
    expect(plan).toMatchObject({ name: null });
  });

  it("explains an event it cannot use", () => {
    expect(planContactChange(event("customer.created", { email: "a@b.co" }), settings)).toEqual({
      kind: "unusable",
      reason: "The event's customer object has no id.",
    });
    expect(planContactChange(event("charge.succeeded", {}), settings)).toMatchObject({ kind: "unusable" });
  });
});

describe("event order", () => {
  const at = (seconds: number, eventId: string) => ({ created: new Date(seconds * 1000), eventId });
  it("a later created wins, and within one second the larger event id", () => {
    expect(isNewerThan(at(2, "evt_a"), at(1, "evt_z"))).toBe(true);
    expect(isNewerThan(at(1, "evt_z"), at(2, "evt_a"))).toBe(false);
    expect(isNewerThan(at(1, "evt_b"), at(1, "evt_a"))).toBe(true);
    expect(isNewerThan(at(1, "evt_a"), at(1, "evt_a"))).toBe(false);
    expect(isNewerThan(at(1, "evt_a"), null)).toBe(true);
  });
});

describe("contact fields", () => {
  it("splits a full name into first and last", () => {
    expect(splitFullName("  Ada   King Lovelace ")).toEqual({ firstName: "Ada", lastName: "King Lovelace" });
    expect(splitFullName("Cher")).toEqual({ firstName: "Cher", lastName: null });
    expect(splitFullName(" ")).toEqual({ firstName: null, lastName: null });
  });
  it("normalises emails for case-insensitive matching", () => {
    expect(normaliseEmail(" Ada@Example.COM ")).toBe("ada@example.com");
  });
});

describe("classifyEvent", () => {
  it("accepts enabled supported types and explains the rest", () => {
    expect(classifyEvent("invoice.paid", settings.events)).toEqual({ accepted: true, type: "invoice.paid" });
    expect(classifyEvent("invoice.upcoming", settings.events)).toEqual({
      accepted: false,
      reason: "invoice.upcoming is not enabled on this endpoint.",
    });
    expect(classifyEvent("charge.succeeded", settings.events)).toEqual({
      accepted: false,
      reason: "Hookloop does not handle charge.succeeded events.",
    });
  });
});

describe("parseStripeEvent", () => {
  it("says what is wrong with a body that is not a Stripe event", () => {
    expect(parseStripeEvent("{")).toEqual({ ok: false, reason: "The body is not valid JSON." });
    expect(parseStripeEvent('{"object":"event"}')).toMatchObject({ ok: false, reason: expect.stringContaining('at "id"') });
  });
});

describe("signingSecretSchema", () => {
  const message = (value: string) => signingSecretSchema.safeParse(value).error?.issues[0]?.message;
  it("trims and accepts a whsec_ secret", () => {
    expect(signingSecretSchema.parse("  whsec_0123456789abcdefABCDEF  \n")).toBe("whsec_0123456789abcdefABCDEF");
  });
  it("explains each usual slip", () => {
    expect(message("")).toMatch(/Paste the signing secret/);
    expect(message("whsec_0123 456789abcdef")).toMatch(/spaces or line breaks/);
    expect(message("pk_test_abcdef0123456789")).toMatch(/publishable API key/);
    expect(message("sk_live_abcdef0123456789")).toMatch(/secret API key/);
    expect(message("rk_test_abcdef0123456789")).toMatch(/secret API key/);
    expect(message("abc")).toMatch(/starts with whsec_/);
    expect(message("whsec_short")).toMatch(/too short/);
  });
});

describe("billing events", () => {
  const all = {
    ...settings,
    events: supportedEventTypes.map((eventType) => ({ eventType, enabled: true, triggerName: eventType.replaceAll(".", "_") })),
  };
  const price = { id: "price_pro", nickname: "Pro", unit_amount: 2900, currency: "usd", recurring: { interval: "month" } };

  it("every catalogue entry has a description and a suggested trigger name marketers may keep", () => {
    for (const type of supportedEventTypes) {
      expect(stripeEventCatalogue[type].description.length).toBeGreaterThan(10);
      expect(triggerNameSchema.safeParse(stripeEventCatalogue[type].suggestedTrigger).success).toBe(true);
    }
    expect(supportedEventTypes).toHaveLength(24);
  });

  it("a subscription is tied to its contact through the customer and reads the item's period (API 2025-03-31 on)", () => {
    const plan = planContactChange(
      event("customer.subscription.updated", {
        id: "sub_1",
        customer: "cus_1",
        status: "active",
        currency: "usd",
        cancel_at_period_end: false,
        items: { data: [{ id: "si_1", price, quantity: 2, current_period_end: 1_702_592_000 }] },
      }),
      all,
    );
    expect(plan).toMatchObject({
      kind: "upsert",
      customerId: "cus_1",
      email: null,
      billing: {
        kind: "subscription",
        status: "active",
        ended: false,
        items: [{ plan: "Pro", interval: "month", quantity: 2, unitAmount: 2900 }],
        periodEndsAt: "2023-12-14T22:13:20.000Z",
      },
      triggers: [
        {
          name: "customer_subscription_updated",
          properties: { status: "active", plan: "Pro", amount: 5800, mrr: 5800, currency: "usd", subscriptionId: "sub_1" },
        },
      ],
    });
  });

  it("reads older payloads: the period on the subscription, the legacy plan object, an expanded product's name", () => {
    const plan = planContactChange(
      event("customer.subscription.created", {
        id: "sub_1",
        customer: { id: "cus_1", object: "customer" },
        status: "trialing",
        current_period_end: 1_700_086_400,
        trial_end: 1_700_086_400,
        items: {
          data: [
            {
              plan: { id: "plan_old", nickname: null, amount: 12_000, interval: "year", product: { id: "prod_1", name: "Team" } },
            },
          ],
        },
      }),
      all,
    );
    expect(plan).toMatchObject({
      customerId: "cus_1",
      billing: {
        items: [{ plan: "Team", interval: "year", unitAmount: 12_000, quantity: 1 }],
        periodEndsAt: "2023-11-15T22:13:20.000Z",
        trialEndsAt: "2023-11-15T22:13:20.000Z",
      },
    });
  });

  it("an upgrade's trigger names the plan before and after; a deletion is an ended subscription", () => {
    const updated = planContactChange(
      {
        ...event("customer.subscription.updated", {
          id: "sub_1",
          customer: "cus_1",
          status: "active",
          items: { data: [{ price: { ...price, id: "price_biz", nickname: "Business" } }] },
        }),
        data: {
          object: {
            id: "sub_1",
            customer: "cus_1",
            status: "active",
            items: { data: [{ price: { ...price, nickname: "Business" } }] },
          },
          previous_attributes: { items: { data: [{ price }] } },
        },
      },
      all,
    );
    expect(updated).toMatchObject({ triggers: [{ properties: { plan: "Business", previousPlan: "Pro" } }] });
    const deleted = planContactChange(
      event("customer.subscription.deleted", { id: "sub_1", customer: "cus_1", status: "canceled", items: { data: [] } }),
      all,
    );
    expect(deleted).toMatchObject({ billing: { kind: "subscription", ended: true, status: "canceled" } });
  });

  it("a refund carries the charge's cumulative refunded amount; a charge that says no invoice made it does not count", () => {
    const charge = { id: "ch_1", customer: "cus_1", amount: 2900, amount_refunded: 1000, currency: "usd" };
    expect(planContactChange(event("charge.refunded", charge), all)).toMatchObject({
      customerId: "cus_1",
      billing: { kind: "refund", chargeId: "ch_1", amountRefunded: 1000, fromInvoice: true },
      triggers: [{ properties: { amount: 2900, amountRefunded: 1000, currency: "usd" } }],
    });
    expect(planContactChange(event("charge.refunded", { ...charge, invoice: null }), all)).toMatchObject({
      billing: { fromInvoice: false },
    });
  });

  it("payment failures are dated by the event; successes of payment intents add no lifetime value", () => {
    const failed = planContactChange(
      event("payment_intent.payment_failed", {
        id: "pi_1",
        customer: "cus_1",
        amount: 2900,
        currency: "usd",
        status: "requires_payment_method",
        last_payment_error: { message: "Your card was declined." },
      }),
      all,
    );
    expect(failed).toMatchObject({
      billing: { kind: "payment_failed", at: "2023-11-14T22:13:20.000Z" },
      triggers: [{ properties: { amount: 2900, status: "requires_payment_method", failureMessage: "Your card was declined." } }],
    });
    expect(planContactChange(event("payment_intent.succeeded", { id: "pi_1", customer: "cus_1" }), all)).toMatchObject({
      billing: null,
    });
  });

  it("a dispute names only its charge: without an email or an expanded charge it cannot be placed, and says why", () => {
    const dispute = { id: "du_1", charge: "ch_1", amount: 2900, currency: "usd", status: "needs_response", reason: "fraudulent" };
    expect(planContactChange(event("charge.dispute.created", dispute), all)).toEqual({
      kind: "unusable",
      reason:
        "The dispute names neither a customer nor an email (Stripe sends only its charge id), so Hookloop cannot tell whose it is.",
    });
    expect(
      planContactChange(
        event("charge.dispute.closed", { ...dispute, status: "lost", evidence: { customer_email_address: "Ada@Example.com" } }),
        all,
      ),
    ).toMatchObject({ email: "ada@example.com", triggers: [{ properties: { status: "lost", chargeId: "ch_1", amount: 2900 } }] });
  });

  it("a quote is tied to its customer; one without a customer is refused", () => {
    expect(
      planContactChange(
        event("quote.accepted", { id: "qt_1", customer: "cus_1", amount_total: 120_000, status: "accepted" }),
        all,
      ),
    ).toMatchObject({ customerId: "cus_1", triggers: [{ properties: { amount: 120_000, status: "accepted" } }] });
    expect(planContactChange(event("quote.finalized", { id: "qt_1", customer: null }), all)).toMatchObject({ kind: "unusable" });
  });
});
