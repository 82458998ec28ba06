// Stripe events shaped like the ones Stripe sends, for the dashboard's "send test event", tests
// and benchmarks. Only the fields a caller names differ from a real payload.
import { randomBytes } from "node:crypto";
import type { Prisma } from "@hookloop/db/client";
import { signStripePayload } from "./verify-stripe-signature";

export type FixtureOptions = {
  id?: string;
  /** Unix seconds. */
  created?: number;
  livemode?: boolean;
  customerId?: string | null;
  email?: string | null;
  name?: string | null;
  amount?: number;
  currency?: string;
  /** Extra invoice lines, to make a payload of a given size for benchmarks. */
  lineItems?: number;
};

const rid = (prefix: string, bytes = 12) => `${prefix}_${randomBytes(bytes).toString("base64url").replace(/[-_]/g, "x")}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

function envelope(
  type: string,
  object: Record<string, unknown>,
  options: FixtureOptions,
  previousAttributes?: Record<string, unknown>,
) {
  return {
    id: options.id ?? rid("evt"),
    object: "event",
    api_version: "2025-09-30.clover",
    created: options.created ?? nowSeconds(),
    data: { object, ...(previousAttributes ? { previous_attributes: previousAttributes } : {}) },
    livemode: options.livemode ?? false,
    pending_webhooks: 1,
    request: { id: rid("req", 8), idempotency_key: randomBytes(16).toString("hex") },
    type,
  };
}

function customerObject(options: FixtureOptions) {
  return {
    id: options.customerId ?? rid("cus", 8),
    object: "customer",
    address: null,
    balance: 0,
    created: (options.created ?? nowSeconds()) - 60,
    currency: options.currency ?? "usd",
    default_source: null,
    delinquent: false,
    description: null,
    email: options.email === undefined ? "ada@example.com" : options.email,
    invoice_prefix: randomBytes(4).toString("hex").toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: options.livemode ?? false,
    metadata: {},
    name: options.name === undefined ? "Ada Lovelace" : options.name,
    phone: null,
    preferred_locales: ["en"],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  };
}

function invoiceObject(type: string, options: FixtureOptions) {
  const amount = options.amount ?? 4200;
  const currency = options.currency ?? "usd";
  const paid = type === "invoice.paid";
  const id = type === "invoice.upcoming" ? null : rid("in", 10);
  const lines = Array.from({ length: Math.max(1, options.lineItems ?? 1) }, (_, index) => ({
    id: rid("il", 10),
    object: "line_item",
    amount: index === 0 ? amount : 0,
    currency,
    description: `1 × Pro plan (at $${(amount / 100).toFixed(2)} / month)`,
    period: { start: nowSeconds() - 2_592_000, end: nowSeconds() },
    pricing: {
      price_details: { price: rid("price", 8), product: rid("prod", 8) },
      type: "price_details",
      unit_amount_decimal: String(amount),
    },
    quantity: 1,
  }));
  return {
    id,
    object: "invoice",
    account_country: "US",
    account_name: "Acme Inc.",
    amount_due: amount,
    amount_paid: paid ? amount : 0,
    amount_remaining: paid ? 0 : amount,
    attempt_count: paid ? 1 : 2,
    attempted: type !== "invoice.upcoming",
    billing_reason: "subscription_cycle",
    collection_method: "charge_automatically",
    created: (options.created ?? nowSeconds()) - 30,
    currency,
    customer: options.customerId === undefined ? rid("cus", 8) : options.customerId,
    customer_email: options.email === undefined ? "ada@example.com" : options.email,
    customer_name: options.name === undefined ? "Ada Lovelace" : options.name,
    hosted_invoice_url: id ? `https://invoice.stripe.com/i/acct_1Acme/test_${id}` : null,
    invoice_pdf: id ? `https://pay.stripe.com/invoice/acct_1Acme/test_${id}/pdf` : null,
    lines: {
      object: "list",
      data: lines,
      has_more: false,
      total_count: lines.length,
      url: `/v1/invoices/${id ?? "upcoming"}/lines`,
    },
    livemode: options.livemode ?? false,
    metadata: {},
    next_payment_attempt: type === "invoice.paid" ? null : nowSeconds() + 3 * 86_400,
    number: id ? `ACME-${Math.floor(Math.random() * 9_000) + 1_000}` : null,
    period_end: nowSeconds(),
    period_start: nowSeconds() - 2_592_000,
    status: paid ? "paid" : "open",
    subtotal: amount,
    total: amount,
  };
}

function checkoutSessionObject(options: FixtureOptions) {
  const amount = options.amount ?? 4200;
  return {
    id: rid("cs_test", 24),
    object: "checkout.session",
    amount_subtotal: amount,
    amount_total: amount,
    billing_address_collection: null,
    cancel_url: "https://example.com/cancel",
    created: (options.created ?? nowSeconds()) - 120,
    currency: options.currency ?? "usd",
    customer: options.customerId === undefined ? rid("cus", 8) : options.customerId,
    customer_creation: "always",
    customer_details: {
      address: { city: null, country: "GB", line1: null, line2: null, postal_code: "SW1A 1AA", state: null },
      email: options.email === undefined ? "ada@example.com" : options.email,
      name: options.name === undefined ? "Ada Lovelace" : options.name,
      phone: null,
      tax_exempt: "none",
      tax_ids: [],
    },
    customer_email: null,
    expires_at: nowSeconds() + 86_400,
    livemode: options.livemode ?? false,
    metadata: {},
    mode: "subscription",
    payment_status: "paid",
    status: "complete",
    success_url: "https://example.com/success",
    url: null,
  };
}

export const fixtureEventTypes = [
  "customer.created",
  "customer.updated",
  "customer.deleted",
  "invoice.paid",
  "invoice.payment_failed",
  "invoice.upcoming",
  "checkout.session.completed",
] as const;

export type FixtureEventType = (typeof fixtureEventTypes)[number];

/** A realistic Stripe event of the given type. */
export function stripeEvent(type: FixtureEventType | (string & {}), options: FixtureOptions = {}) {
  if (type.startsWith("customer.")) {
    const customer = customerObject(options);
    return envelope(
      type,
      type === "customer.deleted" ? { ...customer, deleted: undefined } : customer,
      options,
      type === "customer.updated" ? { email: "old@example.com" } : undefined,
    );
  }
  if (type.startsWith("invoice.")) return envelope(type, invoiceObject(type, options), options);
  if (type === "checkout.session.completed") return envelope(type, checkoutSessionObject(options), options);
  return envelope(type, { id: rid("obj"), object: "unknown" }, options);
}

/** The body and headers Stripe would POST for this event, signed with `secret`. */
export function signedStripeRequest(event: unknown, secret: string, options: { timestampSeconds?: number } = {}) {
  const body = JSON.stringify(event, null, 2);
  return {
    body,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "stripe-signature": signStripePayload({ payload: body, secret, timestampSeconds: options.timestampSeconds }),
      "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
    },
  };
}

/** A fixture as a Prisma JSON value, for writing rows by hand. */
export const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;

export const newTestSigningSecret = () => `whsec_${randomBytes(24).toString("base64url").replace(/[-_]/g, "x")}`;
