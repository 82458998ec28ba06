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
  /** customer.subscription.* (and the invoice's line): the subscription as it stands after the event. */
  subscription?: SubscriptionFixture;
  /** customer.subscription.updated: what changed, as it was (Stripe's data.previous_attributes). */
  previousAttributes?: Record<string, unknown>;
  /** charge.refunded, charge.dispute.*: the charge. */
  chargeId?: string;
  /** charge.refunded: the charge's refunded total so far (Stripe's amount_refunded is cumulative). */
  amountRefunded?: number;
  /** invoice.*: the invoice id, to pay the same invoice twice in a test. */
  invoiceId?: string;
};

export type SubscriptionFixture = {
  id?: string;
  status?: "active" | "trialing" | "past_due" | "unpaid" | "paused" | "incomplete" | "incomplete_expired" | "canceled";
  priceId?: string;
  /** The price's nickname; null for a price that has none. */
  nickname?: string | null;
  /** Minor units per interval. */
  unitAmount?: number;
  interval?: "day" | "week" | "month" | "year";
  intervalCount?: number;
  quantity?: number;
  /** Unix seconds. */
  trialEnd?: number | null;
  /** Unix seconds: the end of the current period, kept on the item as API versions since 2025-03-31 do. */
  currentPeriodEnd?: number;
  cancelAtPeriodEnd?: boolean;
  /** Unix seconds. */
  canceledAt?: number | null;
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
  const id = type === "invoice.upcoming" ? null : (options.invoiceId ?? rid("in", 10));
  const subscription = options.subscription ?? {};
  const lines = Array.from({ length: Math.max(1, options.lineItems ?? 1) }, (_, index) => ({
    id: rid("il", 10),
    object: "line_item",
    amount: index === 0 ? amount : 0,
    currency,
    description: `1 × Pro plan (at $${(amount / 100).toFixed(2)} / month)`,
    period: { start: nowSeconds() - 2_592_000, end: nowSeconds() },
    pricing: {
      price_details: { price: index === 0 ? (subscription.priceId ?? "price_1Pro") : rid("price", 8), product: rid("prod", 8) },
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
    status_transitions: {
      finalized_at: (options.created ?? nowSeconds()) - 30,
      marked_uncollectible_at: null,
      paid_at: paid ? (options.created ?? nowSeconds()) : null,
      voided_at: null,
    },
    subtotal: amount,
    total: amount,
  };
}

function checkoutSessionObject(type: string, options: FixtureOptions) {
  const amount = options.amount ?? 4200;
  const asyncOutcome = type.startsWith("checkout.session.async_payment_")
    ? type.endsWith("succeeded")
      ? "paid"
      : "unpaid"
    : null;
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
    mode: asyncOutcome ? "payment" : "subscription",
    payment_method_types: asyncOutcome ? ["sepa_debit"] : ["card"],
    payment_status: asyncOutcome ?? "paid",
    status: "complete",
    success_url: "https://example.com/success",
    url: null,
  };
}

function priceObject(subscription: SubscriptionFixture, created: number) {
  return {
    id: subscription.priceId ?? "price_1Pro",
    object: "price",
    active: true,
    billing_scheme: "per_unit",
    created: created - 86_400 * 90,
    currency: "usd",
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: subscription.nickname === undefined ? "Pro" : subscription.nickname,
    product: "prod_1Pro",
    recurring: {
      interval: subscription.interval ?? "month",
      interval_count: subscription.intervalCount ?? 1,
      meter: null,
      usage_type: "licensed",
    },
    tax_behavior: "unspecified",
    type: "recurring",
    unit_amount: subscription.unitAmount ?? 2900,
    unit_amount_decimal: String(subscription.unitAmount ?? 2900),
  };
}

/** A subscription as API version 2025-09-30.clover sends it: the billing period on its items. */
function subscriptionObject(type: string, options: FixtureOptions) {
  const subscription = options.subscription ?? {};
  const created = options.created ?? nowSeconds();
  const id = subscription.id ?? rid("sub", 10);
  const status = subscription.status ?? (type === "customer.subscription.deleted" ? "canceled" : "active");
  const periodEnd = subscription.currentPeriodEnd ?? created + 30 * 86_400;
  const canceledAt = subscription.canceledAt === undefined ? (status === "canceled" ? created : null) : subscription.canceledAt;
  return {
    id,
    object: "subscription",
    application: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: periodEnd - 30 * 86_400,
    billing_mode: { flexible: null, type: "classic" },
    cancel_at: null,
    cancel_at_period_end: subscription.cancelAtPeriodEnd ?? false,
    canceled_at: canceledAt,
    cancellation_details: { comment: null, feedback: null, reason: canceledAt ? "cancellation_requested" : null },
    collection_method: "charge_automatically",
    created: created - 86_400,
    currency: "usd",
    customer: options.customerId ?? rid("cus", 8),
    days_until_due: null,
    default_payment_method: status === "trialing" ? null : rid("pm", 12),
    description: null,
    discounts: [],
    ended_at: type === "customer.subscription.deleted" ? created : null,
    items: {
      object: "list",
      data: [
        {
          id: rid("si", 10),
          object: "subscription_item",
          created: created - 86_400,
          current_period_end: periodEnd,
          current_period_start: periodEnd - 30 * 86_400,
          discounts: [],
          metadata: {},
          price: priceObject(subscription, created),
          quantity: subscription.quantity ?? 1,
          subscription: id,
          tax_rates: [],
        },
      ],
      has_more: false,
      total_count: 1,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: rid("in", 10),
    livemode: options.livemode ?? false,
    metadata: {},
    pause_collection: type === "customer.subscription.paused" ? { behavior: "void", resumes_at: null } : null,
    start_date: created - 86_400,
    status: type === "customer.subscription.paused" ? "paused" : status,
    trial_end: subscription.trialEnd === undefined ? null : subscription.trialEnd,
    trial_settings: { end_behavior: { missing_payment_method: "pause" } },
    trial_start: subscription.trialEnd ? created - 86_400 : null,
  };
}

function chargeObject(options: FixtureOptions) {
  const amount = options.amount ?? 2900;
  const refunded = options.amountRefunded ?? amount;
  return {
    id: options.chargeId ?? rid("ch", 12),
    object: "charge",
    amount,
    amount_captured: amount,
    amount_refunded: refunded,
    balance_transaction: rid("txn", 12),
    billing_details: {
      address: { city: null, country: "GB", line1: null, line2: null, postal_code: null, state: null },
      email: options.email === undefined ? "ada@example.com" : options.email,
      name: options.name === undefined ? "Ada Lovelace" : options.name,
      phone: null,
    },
    captured: true,
    created: (options.created ?? nowSeconds()) - 86_400,
    currency: options.currency ?? "usd",
    customer: options.customerId === undefined ? rid("cus", 8) : options.customerId,
    description: "Subscription update",
    disputed: false,
    livemode: options.livemode ?? false,
    metadata: {},
    paid: true,
    payment_intent: rid("pi", 12),
    payment_method: rid("pm", 12),
    receipt_email: null,
    refunded: refunded >= amount,
    status: "succeeded",
  };
}

function disputeObject(type: string, options: FixtureOptions) {
  const closed = type === "charge.dispute.closed";
  return {
    id: rid("du", 12),
    object: "dispute",
    amount: options.amount ?? 2900,
    balance_transactions: [],
    charge: options.chargeId ?? rid("ch", 12),
    created: (options.created ?? nowSeconds()) - (closed ? 14 * 86_400 : 0),
    currency: options.currency ?? "usd",
    // Stripe fills the evidence only with what the merchant submits: an email here is one they gave.
    evidence: {
      access_activity_log: null,
      billing_address: null,
      customer_email_address: options.email ?? null,
      customer_name: options.name ?? null,
      product_description: null,
      uncategorized_text: null,
    },
    evidence_details: {
      due_by: (options.created ?? nowSeconds()) + 7 * 86_400,
      has_evidence: closed,
      past_due: false,
      submission_count: closed ? 1 : 0,
    },
    is_charge_refundable: false,
    livemode: options.livemode ?? false,
    metadata: {},
    payment_intent: rid("pi", 12),
    reason: "fraudulent",
    status: closed ? "lost" : "needs_response",
  };
}

function paymentIntentObject(type: string, options: FixtureOptions) {
  const amount = options.amount ?? 2900;
  const failed = type === "payment_intent.payment_failed";
  return {
    id: rid("pi", 12),
    object: "payment_intent",
    amount,
    amount_capturable: 0,
    amount_received: failed ? 0 : amount,
    capture_method: "automatic",
    client_secret: null,
    confirmation_method: "automatic",
    created: (options.created ?? nowSeconds()) - 5,
    currency: options.currency ?? "usd",
    customer: options.customerId === undefined ? rid("cus", 8) : options.customerId,
    description: "Subscription update",
    last_payment_error: failed
      ? {
          code: "card_declined",
          decline_code: "insufficient_funds",
          doc_url: "https://stripe.com/docs/error-codes/card-declined",
          message: "Your card has insufficient funds.",
          type: "card_error",
        }
      : null,
    latest_charge: rid("ch", 12),
    livemode: options.livemode ?? false,
    metadata: {},
    payment_method: failed ? null : rid("pm", 12),
    payment_method_types: ["card"],
    receipt_email: options.email === undefined ? null : options.email,
    status: failed ? "requires_payment_method" : "succeeded",
  };
}

function quoteObject(type: string, options: FixtureOptions) {
  const amount = options.amount ?? 120_000;
  const status = { "quote.finalized": "open", "quote.accepted": "accepted", "quote.canceled": "canceled" }[type] ?? "open";
  return {
    id: rid("qt", 12),
    object: "quote",
    amount_subtotal: amount,
    amount_total: amount,
    application: null,
    collection_method: "charge_automatically",
    created: (options.created ?? nowSeconds()) - 3_600,
    currency: options.currency ?? "usd",
    customer: options.customerId === undefined ? rid("cus", 8) : options.customerId,
    description: "Annual Enterprise plan",
    expires_at: (options.created ?? nowSeconds()) + 30 * 86_400,
    invoice: status === "accepted" ? rid("in", 10) : null,
    livemode: options.livemode ?? false,
    metadata: {},
    number: status === "open" || status === "accepted" ? `QT-${Math.floor(Math.random() * 9_000) + 1_000}` : null,
    status,
    status_transitions: {
      accepted_at: status === "accepted" ? (options.created ?? nowSeconds()) : null,
      canceled_at: null,
      finalized_at: (options.created ?? nowSeconds()) - 60,
    },
    subscription: status === "accepted" ? rid("sub", 10) : null,
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
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "customer.subscription.paused",
  "customer.subscription.resumed",
  "customer.subscription.trial_will_end",
  "invoice.payment_action_required",
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
  "charge.refunded",
  "charge.dispute.created",
  "charge.dispute.closed",
  "quote.finalized",
  "quote.accepted",
  "quote.canceled",
] as const;

export type FixtureEventType = (typeof fixtureEventTypes)[number];

/** A realistic Stripe event of the given type. */
export function stripeEvent(type: FixtureEventType | (string & {}), options: FixtureOptions = {}) {
  if (type.startsWith("customer.") && !type.startsWith("customer.subscription.")) {
    const customer = customerObject(options);
    return envelope(
      type,
      type === "customer.deleted" ? { ...customer, deleted: undefined } : customer,
      options,
      type === "customer.updated" ? { email: "old@example.com" } : undefined,
    );
  }
  if (type.startsWith("customer.subscription.")) {
    return envelope(type, subscriptionObject(type, options), options, options.previousAttributes);
  }
  if (type.startsWith("invoice.")) return envelope(type, invoiceObject(type, options), options);
  if (type.startsWith("checkout.session.")) return envelope(type, checkoutSessionObject(type, options), options);
  if (type === "charge.refunded") return envelope(type, chargeObject(options), options);
  if (type.startsWith("charge.dispute.")) return envelope(type, disputeObject(type, options), options);
  if (type.startsWith("payment_intent.")) return envelope(type, paymentIntentObject(type, options), options);
  if (type.startsWith("quote.")) return envelope(type, quoteObject(type, options), options);
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
