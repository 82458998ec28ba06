// A Stripe event and an endpoint's settings in; the contact change and trigger events out. No I/O.
import { monthlyAmountOf, planLabel, subscriptionFact, type BillingFact } from "./billing-fact";
import { isPlausibleEmail, normaliseEmail, splitFullName } from "./contact-fields";
import type { EndpointEventSetting } from "./classify-event";
import type { StripeEvent } from "./stripe-event";
import { stripeObjectSchemas } from "./stripe-event";
import { isSupportedEventType, stripeEventCatalogue } from "./stripe-event-catalogue";
import { conditionRefusal, describeCondition } from "./trigger-condition";

export type EndpointSettings = {
  syncNames: boolean;
  onCustomerDeleted: "delete" | "unsubscribe";
  events: readonly EndpointEventSetting[];
};

export type TriggerProperties = Record<string, string | number | boolean | null>;

export type PlannedTrigger = { name: string; properties: TriggerProperties };

export type ContactPlan =
  | {
      kind: "upsert";
      customerId: string | null;
      /** Normalised; null when the event carries none and the customer must supply it. */
      email: string | null;
      /** Null when names are not synced or the event carries none. */
      name: { firstName: string | null; lastName: string | null } | null;
      /**
       * Customer events speak for the customer: their email moves the contact and their name
       * overwrites. Invoices and sessions carry a snapshot, which only fills what is missing.
       */
      authoritative: boolean;
      /** What the event says about the customer's billing, replayed into the contact's billing state. */
      billing: BillingFact | null;
      /** Set only by the workspace's own app (the API): the person subscribed or unsubscribed. Stripe's events never set it. */
      subscribed?: boolean | null;
      triggers: PlannedTrigger[];
      /** Why the event's trigger event did not fire (its condition did not hold), for the delivery's reason. */
      triggerNote?: string;
    }
  | {
      kind: "delete";
      customerId: string;
      /** The deleted customer's email, to find a contact Hookloop never linked to the customer. */
      email: string | null;
      behaviour: "delete" | "unsubscribe";
      triggers: PlannedTrigger[];
      triggerNote?: string;
    }
  | { kind: "unusable"; reason: string };

type CustomerRef = string | { id: string } | null | undefined;

const customerIdOf = (ref: CustomerRef): string | null => (typeof ref === "string" ? ref : (ref?.id ?? null));

function emailOf(...candidates: Array<string | null | undefined>): string | null {
  for (const candidate of candidates) {
    if (candidate && isPlausibleEmail(candidate.trim())) return normaliseEmail(candidate);
  }
  return null;
}

const isoTime = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000).toISOString() : null);

function withoutEmpty(properties: Record<string, string | number | boolean | null | undefined>): TriggerProperties {
  return Object.fromEntries(
    Object.entries(properties).filter(([, value]) => value !== undefined && value !== null),
  ) as TriggerProperties;
}

export function planContactChange(event: StripeEvent, settings: EndpointSettings): ContactPlan {
  const noted: { triggerNote?: string } = {};
  const plan = planEvent(event, settings, noted);
  return plan.kind !== "unusable" && noted.triggerNote ? { ...plan, triggerNote: noted.triggerNote } : plan;
}

function planEvent(event: StripeEvent, settings: EndpointSettings, noted: { triggerNote?: string }): ContactPlan {
  if (!isSupportedEventType(event.type)) {
    return { kind: "unusable", reason: `Hookloop does not handle ${event.type} events.` };
  }
  const entry = stripeEventCatalogue[event.type];
  const setting = settings.events.find((candidate) => candidate.eventType === event.type);
  const triggerName = setting?.enabled ? setting.triggerName : null;
  const nameFrom = (fullName: string | null | undefined) =>
    settings.syncNames && fullName?.trim() ? splitFullName(fullName) : null;
  const fire = (properties: Parameters<typeof withoutEmpty>[0]): PlannedTrigger[] => {
    if (!triggerName) return [];
    const kept = withoutEmpty(properties);
    const refusal = setting?.condition ? conditionRefusal(setting.condition, kept) : null;
    if (refusal === null) return [{ name: triggerName, properties: kept }];
    noted.triggerNote = `${triggerName} did not fire: ${refusal} (${describeCondition(setting!.condition!)}).`;
    return [];
  };
  const occurredAt = new Date(event.created * 1000).toISOString();

  switch (entry.object) {
    case "customer": {
      const parsed = stripeObjectSchemas.customer.safeParse(event.data.object);
      if (!parsed.success) return { kind: "unusable", reason: "The event's customer object has no id." };
      const customer = parsed.data;
      const triggers = fire({ customerId: customer.id, email: customer.email });
      if (entry.effect === "delete") {
        return {
          kind: "delete",
          customerId: customer.id,
          email: emailOf(customer.email),
          behaviour: settings.onCustomerDeleted,
          triggers,
        };
      }
      return {
        kind: "upsert",
        customerId: customer.id,
        email: emailOf(customer.email),
        name: nameFrom(customer.name),
        authoritative: true,
        billing: null,
        triggers,
      };
    }
    case "invoice": {
      const parsed = stripeObjectSchemas.invoice.safeParse(event.data.object);
      if (!parsed.success) return { kind: "unusable", reason: "The event's invoice object is malformed." };
      const invoice = parsed.data;
      const customerId = customerIdOf(invoice.customer);
      const paid = event.type === "invoice.paid";
      const amount = paid ? invoice.amount_paid : invoice.amount_due;
      const line = invoice.lines?.data[0];
      const plan = line?.price ? planLabel(line.price) : (line?.pricing?.price_details?.price ?? null);
      const billing: BillingFact | null =
        paid && invoice.id
          ? {
              kind: "invoice_paid",
              invoiceId: invoice.id,
              amount: invoice.amount_paid ?? 0,
              currency: invoice.currency ?? null,
              paidAt: isoTime(invoice.status_transitions?.paid_at) ?? occurredAt,
            }
          : event.type === "invoice.payment_failed"
            ? { kind: "payment_failed", at: occurredAt }
            : null;
      return {
        kind: "upsert",
        customerId,
        email: emailOf(invoice.customer_email),
        name: nameFrom(invoice.customer_name),
        authoritative: false,
        billing,
        triggers: fire({
          invoiceId: invoice.id,
          invoiceNumber: invoice.number,
          amount,
          currency: invoice.currency,
          status: invoice.status,
          plan,
          hostedInvoiceUrl: invoice.hosted_invoice_url,
          invoicePdf: invoice.invoice_pdf,
          billingReason: invoice.billing_reason,
          customerId,
          nextPaymentAttempt: isoTime(invoice.next_payment_attempt),
        }),
      };
    }
    case "checkout_session": {
      const parsed = stripeObjectSchemas.checkout_session.safeParse(event.data.object);
      if (!parsed.success) return { kind: "unusable", reason: "The event's checkout session is malformed." };
      const session = parsed.data;
      const customerId = customerIdOf(session.customer);
      return {
        kind: "upsert",
        customerId,
        email: emailOf(session.customer_details?.email, session.customer_email),
        name: nameFrom(session.customer_details?.name),
        authoritative: false,
        billing: event.type === "checkout.session.async_payment_failed" ? { kind: "payment_failed", at: occurredAt } : null,
        triggers: fire({
          sessionId: session.id,
          amount: session.amount_total,
          currency: session.currency,
          mode: session.mode,
          status: session.status,
          paymentStatus: session.payment_status,
          subscriptionId: customerIdOf(session.subscription),
          customerId,
        }),
      };
    }
    case "subscription": {
      const parsed = stripeObjectSchemas.subscription.safeParse(event.data.object);
      if (!parsed.success) return { kind: "unusable", reason: "The event's subscription object is malformed." };
      const subscription = parsed.data;
      const customerId = customerIdOf(subscription.customer);
      if (!customerId) return { kind: "unusable", reason: "The event's subscription names no customer." };
      const fact = subscriptionFact(subscription, event.type === "customer.subscription.deleted");
      const [firstItem] = fact.items;
      const before = previousSubscription(event);
      return {
        kind: "upsert",
        customerId,
        email: null,
        name: null,
        authoritative: false,
        billing: fact,
        triggers: fire({
          subscriptionId: subscription.id,
          status: subscription.status,
          previousStatus: before.status,
          plan: firstItem?.plan,
          previousPlan: before.plan,
          interval: firstItem?.interval,
          amount: fact.items.reduce((total, item) => total + (item.unitAmount ?? 0) * item.quantity, 0),
          mrr: Math.round(monthlyAmountOf(fact.items)),
          currency: subscription.currency,
          trialEndsAt: fact.trialEndsAt,
          currentPeriodEnd: fact.periodEndsAt,
          cancelAtPeriodEnd: fact.cancelAtPeriodEnd,
          canceledAt: isoTime(subscription.canceled_at),
          customerId,
        }),
      };
    }
    case "charge": {
      const parsed = stripeObjectSchemas.charge.safeParse(event.data.object);
      if (!parsed.success) return { kind: "unusable", reason: "The event's charge object is malformed." };
      const charge = parsed.data;
      const customerId = customerIdOf(charge.customer);
      return {
        kind: "upsert",
        customerId,
        email: emailOf(charge.billing_details?.email, charge.receipt_email),
        name: nameFrom(charge.billing_details?.name),
        authoritative: false,
        billing: {
          kind: "refund",
          chargeId: charge.id,
          amountRefunded: Math.max(0, charge.amount_refunded ?? 0),
          currency: charge.currency ?? null,
          fromInvoice: !(Object.hasOwn(event.data.object, "invoice") && charge.invoice === null),
        },
        triggers: fire({
          chargeId: charge.id,
          amount: charge.amount,
          amountRefunded: charge.amount_refunded,
          currency: charge.currency,
          status: charge.status,
          refunded: charge.refunded,
          customerId,
        }),
      };
    }
    case "dispute": {
      const parsed = stripeObjectSchemas.dispute.safeParse(event.data.object);
      if (!parsed.success) return { kind: "unusable", reason: "The event's dispute object is malformed." };
      const dispute = parsed.data;
      const charge = typeof dispute.charge === "object" ? dispute.charge : null;
      const customerId = customerIdOf(charge?.customer);
      const email = emailOf(dispute.evidence?.customer_email_address, charge?.billing_details?.email);
      if (!customerId && !email) {
        return {
          kind: "unusable",
          reason:
            "The dispute names neither a customer nor an email (Stripe sends only its charge id), so Hookloop cannot tell whose it is.",
        };
      }
      return {
        kind: "upsert",
        customerId,
        email,
        name: nameFrom(dispute.evidence?.customer_name),
        authoritative: false,
        billing: null,
        triggers: fire({
          disputeId: dispute.id,
          chargeId: typeof dispute.charge === "string" ? dispute.charge : charge?.id,
          amount: dispute.amount,
          currency: dispute.currency,
          reason: dispute.reason,
          status: dispute.status,
          customerId,
        }),
      };
    }
    case "payment_intent": {
      const parsed = stripeObjectSchemas.payment_intent.safeParse(event.data.object);
      if (!parsed.success) return { kind: "unusable", reason: "The event's payment intent is malformed." };
      const intent = parsed.data;
      const customerId = customerIdOf(intent.customer);
      const failed = event.type === "payment_intent.payment_failed";
      return {
        kind: "upsert",
        customerId,
        email: emailOf(intent.receipt_email),
        name: null,
        authoritative: false,
        billing: failed ? { kind: "payment_failed", at: occurredAt } : null,
        triggers: fire({
          paymentIntentId: intent.id,
          amount: failed ? intent.amount : intent.amount_received,
          currency: intent.currency,
          status: intent.status,
          description: intent.description,
          failureMessage: intent.last_payment_error?.message,
          declineCode: intent.last_payment_error?.decline_code,
          customerId,
        }),
      };
    }
    case "quote": {
      const parsed = stripeObjectSchemas.quote.safeParse(event.data.object);
      if (!parsed.success) return { kind: "unusable", reason: "The event's quote object is malformed." };
      const quote = parsed.data;
      const customerId = customerIdOf(quote.customer);
      if (!customerId) return { kind: "unusable", reason: "The event's quote names no customer." };
      return {
        kind: "upsert",
        customerId,
        email: null,
        name: null,
        authoritative: false,
        billing: null,
        triggers: fire({
          quoteId: quote.id,
          quoteNumber: quote.number,
          amount: quote.amount_total,
          currency: quote.currency,
          status: quote.status,
          expiresAt: isoTime(quote.expires_at),
          customerId,
        }),
      };
    }
  }
}

/** What a customer.subscription.updated says the subscription was before: its status, its plan. */
function previousSubscription(event: StripeEvent): { status: string | null; plan: string | null } {
  const previous = event.data.previous_attributes;
  if (!previous) return { status: null, plan: null };
  const status = typeof previous.status === "string" ? previous.status : null;
  const items = stripeObjectSchemas.subscription.shape.items.safeParse(previous.items);
  const price = items.success ? (items.data?.data[0]?.price ?? items.data?.data[0]?.plan) : null;
  return { status, plan: price ? planLabel(price) : null };
}
