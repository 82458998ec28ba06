import { expect, test } from "vitest";
import { importEventId, importProgress, importedCustomer, importedPaidInvoice, importedSubscription } from "./imported-records";

const subscription = (status: string, product: unknown) => ({
  id: "sub_1",
  object: "subscription",
  customer: "cus_1",
  status,
  currency: "usd",
  cancel_at_period_end: false,
  canceled_at: status === "canceled" ? 1_700_000_000 : null,
  trial_end: null,
  items: {
    object: "list",
    data: [
      {
        id: "si_1",
        current_period_end: 1_800_000_000,
        quantity: 2,
        price: {
          id: "price_1",
          nickname: null,
          currency: "usd",
          unit_amount: 1200,
          product,
          recurring: { interval: "month", interval_count: 1 },
        },
      },
    ],
  },
});

test("a customer read from Stripe speaks for the person: email normalised, name split when names sync", () => {
  const customer = { id: "cus_1", object: "customer", email: " Ada@Example.com ", name: "Ada King Lovelace" };
  expect(importedCustomer(customer, { syncNames: true })).toEqual({
    objectId: "cus_1",
    customerId: "cus_1",
    email: "ada@example.com",
    name: { firstName: "Ada", lastName: "King Lovelace" },
    authoritative: true,
    billing: null,
  });
  expect(importedCustomer(customer, { syncNames: false }).name).toBeNull();
  expect(importedCustomer({ ...customer, email: "not an email" }, { syncNames: true }).email).toBeNull();
});

test("a subscription's plan comes from its product's name when the price has no nickname; a canceled one is final", () => {
  const active = importedSubscription(subscription("active", { id: "prod_1", object: "product", name: "Pro" }), "cus_1");
  expect(active.billing).toMatchObject({
    kind: "subscription",
    status: "active",
    ended: false,
    items: [{ plan: "Pro", unitAmount: 1200, quantity: 2, interval: "month" }],
    periodEndsAt: new Date(1_800_000_000 * 1000).toISOString(),
  });
  expect(importedSubscription(subscription("active", "prod_1"), "cus_1").billing).toMatchObject({ items: [{ plan: "price_1" }] });
  expect(importedSubscription(subscription("canceled", "prod_1"), "cus_1").billing).toMatchObject({ ended: true });
});

test("a paid invoice counts its amount paid, dated when Stripe says it was paid", () => {
  const invoice = {
    id: "in_1",
    object: "invoice",
    customer: "cus_1",
    customer_email: "ada@example.com",
    amount_paid: 4200,
    currency: "eur",
    status: "paid",
    status_transitions: { paid_at: 1_750_000_000 },
  };
  const readAt = new Date("2026-12-01T00:00:00Z");
  expect(importedPaidInvoice(invoice, "cus_1", readAt)?.billing).toEqual({
    kind: "invoice_paid",
    invoiceId: "in_1",
    amount: 4200,
    currency: "eur",
    paidAt: new Date(1_750_000_000 * 1000).toISOString(),
  });
  expect(importedPaidInvoice({ ...invoice, status_transitions: null }, "cus_1", readAt)?.billing).toMatchObject({
    paidAt: readAt.toISOString(),
  });
});

test("an import's history ids are its run's and the object's, never a Stripe event id", () => {
  expect(importEventId("run1", "cus_1")).toBe("import_run1_cus_1");
});

test("progress is the share of customers read, with an estimate at the rate so far", () => {
  const startedAt = new Date("2026-12-01T00:00:00Z");
  const now = new Date("2026-12-01T00:00:10Z");
  expect(importProgress({ customersTotal: 1000, customersRead: 250, startedAt, status: "running" }, now)).toEqual({
    percent: 25,
    etaSeconds: 30,
  });
  expect(importProgress({ customersTotal: null, customersRead: 0, startedAt, status: "running" }, now)).toEqual({
    percent: null,
    etaSeconds: null,
  });
  expect(importProgress({ customersTotal: 1000, customersRead: 1000, startedAt, status: "succeeded" }, now).percent).toBe(100);
});
