import { describe, expect, it } from "vitest";
import { isNewerThan } from "./event-order";
import { splitFullName, normaliseEmail } from "./contact-fields";
import { planContactChange, type EndpointSettings } from "./plan-contact-change";
import { signingSecretSchema } from "./signing-secret";
import { classifyEvent } from "./classify-event";
import { parseStripeEvent, type StripeEvent } from "./stripe-event";

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
    expect(classifyEvent("charge.refunded", settings.events)).toEqual({
      accepted: false,
      reason: "Hookloop does not handle charge.refunded events.",
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
