// A Stripe event and an endpoint's settings in; the contact change and trigger events out. No I/O.
import { isPlausibleEmail, normaliseEmail, splitFullName } from "./contact-fields";
import type { EndpointEventSetting } from "./classify-event";
import type { StripeEvent } from "./stripe-event";
import { stripeObjectSchemas } from "./stripe-event";
import { isSupportedEventType, stripeEventCatalogue } from "./stripe-event-catalogue";

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
      triggers: PlannedTrigger[];
    }
  | {
      kind: "delete";
      customerId: string;
      /** The deleted customer's email, to find a contact Hookloop never linked to the customer. */
      email: string | null;
      behaviour: "delete" | "unsubscribe";
      triggers: PlannedTrigger[];
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

function withoutEmpty(properties: Record<string, string | number | boolean | null | undefined>): TriggerProperties {
  return Object.fromEntries(
    Object.entries(properties).filter(([, value]) => value !== undefined && value !== null),
  ) as TriggerProperties;
}

export function planContactChange(event: StripeEvent, settings: EndpointSettings): ContactPlan {
  if (!isSupportedEventType(event.type)) {
    return { kind: "unusable", reason: `Hookloop does not handle ${event.type} events.` };
  }
  const entry = stripeEventCatalogue[event.type];
  const setting = settings.events.find((candidate) => candidate.eventType === event.type);
  const triggerName = setting?.enabled ? setting.triggerName : null;
  const nameFrom = (fullName: string | null | undefined) =>
    settings.syncNames && fullName?.trim() ? splitFullName(fullName) : null;

  switch (entry.object) {
    case "customer": {
      const parsed = stripeObjectSchemas.customer.safeParse(event.data.object);
      if (!parsed.success) return { kind: "unusable", reason: "The event's customer object has no id." };
      const customer = parsed.data;
      const triggers = triggerName
        ? [{ name: triggerName, properties: withoutEmpty({ customerId: customer.id, email: customer.email }) }]
        : [];
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
        triggers,
      };
    }
    case "invoice": {
      const parsed = stripeObjectSchemas.invoice.safeParse(event.data.object);
      if (!parsed.success) return { kind: "unusable", reason: "The event's invoice object is malformed." };
      const invoice = parsed.data;
      const customerId = customerIdOf(invoice.customer);
      const amount = event.type === "invoice.paid" ? invoice.amount_paid : invoice.amount_due;
      const triggers = triggerName
        ? [
            {
              name: triggerName,
              properties: withoutEmpty({
                invoiceId: invoice.id,
                invoiceNumber: invoice.number,
                amount,
                currency: invoice.currency,
                hostedInvoiceUrl: invoice.hosted_invoice_url,
                invoicePdf: invoice.invoice_pdf,
                billingReason: invoice.billing_reason,
                customerId,
                nextPaymentAttempt: invoice.next_payment_attempt
                  ? new Date(invoice.next_payment_attempt * 1000).toISOString()
                  : null,
              }),
            },
          ]
        : [];
      return {
        kind: "upsert",
        customerId,
        email: emailOf(invoice.customer_email),
        name: nameFrom(invoice.customer_name),
        authoritative: false,
        triggers,
      };
    }
    case "checkout_session": {
      const parsed = stripeObjectSchemas.checkout_session.safeParse(event.data.object);
      if (!parsed.success) return { kind: "unusable", reason: "The event's checkout session is malformed." };
      const session = parsed.data;
      const customerId = customerIdOf(session.customer);
      const triggers = triggerName
        ? [
            {
              name: triggerName,
              properties: withoutEmpty({
                sessionId: session.id,
                amount: session.amount_total,
                currency: session.currency,
                mode: session.mode,
                paymentStatus: session.payment_status,
                customerId,
              }),
            },
          ]
        : [];
      return {
        kind: "upsert",
        customerId,
        email: emailOf(session.customer_details?.email, session.customer_email),
        name: nameFrom(session.customer_details?.name),
        authoritative: false,
        triggers,
      };
    }
  }
}
