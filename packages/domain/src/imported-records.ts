// What an import reads from Stripe's API (a customer, their subscriptions, their paid invoices) as
// changes to the contact history, each dated when it was read: the same facts a webhook of the same
// object would give (plan-contact-change.ts), and no trigger events. No I/O.
import { subscriptionFact, type BillingFact } from "./billing-fact";
import { isPlausibleEmail, normaliseEmail, splitFullName } from "./contact-fields";
import { stripeObjectSchemas } from "./stripe-event";

export type ImportedChange = {
  /** The Stripe object the change comes from: with the run, it names the change in the history. */
  objectId: string;
  customerId: string;
  email: string | null;
  name: { firstName: string | null; lastName: string | null } | null;
  /** A customer speaks for the person (its email moves the contact, its name overwrites); the rest are snapshots. */
  authoritative: boolean;
  billing: BillingFact | null;
};

const emailOf = (value: string | null | undefined) => (value && isPlausibleEmail(value.trim()) ? normaliseEmail(value) : null);

/** The history's id for a change an import made: never a Stripe event id, the same on every re-read of the run. */
export const importEventId = (importRunId: string, objectId: string) => `import_${importRunId}_${objectId}`;

/** Statuses a subscription never leaves: imported like customer.subscription.deleted, final. */
const endedStatuses = new Set(["canceled", "incomplete_expired"]);

export function importedCustomer(value: unknown, options: { syncNames: boolean }): ImportedChange {
  const customer = stripeObjectSchemas.customer.parse(value);
  return {
    objectId: customer.id,
    customerId: customer.id,
    email: emailOf(customer.email),
    name: options.syncNames && customer.name?.trim() ? splitFullName(customer.name) : null,
    authoritative: true,
    billing: null,
  };
}

/** A subscription from GET /v1/subscriptions, its prices' products expanded or not (the plan is then the price id). */
export function importedSubscription(value: unknown, customerId: string): ImportedChange {
  const subscription = stripeObjectSchemas.subscription.parse(value);
  return {
    objectId: subscription.id,
    customerId,
    email: null,
    name: null,
    authoritative: false,
    billing: subscriptionFact(subscription, endedStatuses.has(subscription.status)),
  };
}

/** A paid invoice from GET /v1/invoices?status=paid: it adds to lifetime value as invoice.paid does. */
export function importedPaidInvoice(value: unknown, customerId: string, readAt: Date): ImportedChange | null {
  const invoice = stripeObjectSchemas.invoice.parse(value);
  if (!invoice.id) return null;
  const paidAt = invoice.status_transitions?.paid_at;
  return {
    objectId: invoice.id,
    customerId,
    email: emailOf(invoice.customer_email),
    name: null,
    authoritative: false,
    billing: {
      kind: "invoice_paid",
      invoiceId: invoice.id,
      amount: invoice.amount_paid ?? 0,
      currency: invoice.currency ?? null,
      // As for invoice.paid: when Stripe says it was paid, else when Hookloop learnt it.
      paidAt: (paidAt ? new Date(paidAt * 1000) : readAt).toISOString(),
    },
  };
}

export type ImportProgress = {
  /** 0–100, or null before the customers are counted. */
  percent: number | null;
  /** Seconds left at the rate so far, or null before there is a rate. */
  etaSeconds: number | null;
};

/** The progress bar and estimate of an import from its counts and when it started. */
export function importProgress(
  run: { customersTotal: number | null; customersRead: number; startedAt: Date | null; status: string },
  now: Date,
): ImportProgress {
  if (run.status === "succeeded") return { percent: 100, etaSeconds: 0 };
  if (!run.customersTotal) return { percent: run.customersTotal === 0 ? 100 : null, etaSeconds: null };
  const percent = Math.min(100, Math.floor((run.customersRead / run.customersTotal) * 100));
  const elapsed = run.startedAt ? (now.getTime() - run.startedAt.getTime()) / 1000 : 0;
  if (run.status !== "running" || !run.customersRead || elapsed <= 0) return { percent, etaSeconds: null };
  const rate = run.customersRead / elapsed;
  return { percent, etaSeconds: Math.ceil(Math.max(0, run.customersTotal - run.customersRead) / rate) };
}
