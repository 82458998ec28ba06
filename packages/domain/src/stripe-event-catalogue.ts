// Every Stripe event type Hookloop accepts, in one place: adding a type is adding an entry.

export type StripeObjectKind = "customer" | "invoice" | "checkout_session";

export type CatalogueEntry = {
  /** What `data.object` holds for this type. */
  object: StripeObjectKind;
  /** What the event does to the contact it names. */
  effect: "upsert" | "delete";
  /** Shown to marketers next to the toggle. */
  description: string;
  /** The trigger name the dashboard proposes; marketers may rename it. */
  suggestedTrigger: string;
};

export const stripeEventCatalogue = {
  "customer.created": {
    object: "customer",
    effect: "upsert",
    description: "A customer is created in Stripe: add them to your audience.",
    suggestedTrigger: "customerCreated",
  },
  "customer.updated": {
    object: "customer",
    effect: "upsert",
    description: "A customer's email or name changes: keep the contact up to date.",
    suggestedTrigger: "customerUpdated",
  },
  "customer.deleted": {
    object: "customer",
    effect: "delete",
    description: "A customer is deleted in Stripe: delete or unsubscribe the contact.",
    suggestedTrigger: "customerDeleted",
  },
  "invoice.paid": {
    object: "invoice",
    effect: "upsert",
    description: "An invoice is paid: a successful payment.",
    suggestedTrigger: "successfulPayment",
  },
  "invoice.payment_failed": {
    object: "invoice",
    effect: "upsert",
    description: "A payment attempt for an invoice fails.",
    suggestedTrigger: "paymentFailed",
  },
  "invoice.upcoming": {
    object: "invoice",
    effect: "upsert",
    description: "A subscription will renew in a few days.",
    suggestedTrigger: "upcomingInvoice",
  },
  "checkout.session.completed": {
    object: "checkout_session",
    effect: "upsert",
    description: "A customer completes a Checkout session.",
    suggestedTrigger: "checkoutCompleted",
  },
} as const satisfies Record<string, CatalogueEntry>;

export type SupportedEventType = keyof typeof stripeEventCatalogue;

export const supportedEventTypes = Object.keys(stripeEventCatalogue) as SupportedEventType[];

export function isSupportedEventType(type: string): type is SupportedEventType {
  return Object.hasOwn(stripeEventCatalogue, type);
}
