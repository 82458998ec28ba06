// Every Stripe event type Hookloop accepts, in one place: adding a type is adding an entry.

export type StripeObjectKind =
  "customer" | "invoice" | "checkout_session" | "subscription" | "charge" | "dispute" | "payment_intent" | "quote";

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
  "checkout.session.async_payment_succeeded": {
    object: "checkout_session",
    effect: "upsert",
    description: "A delayed Checkout payment (a bank debit, a voucher) succeeds.",
    suggestedTrigger: "checkoutPaymentSucceeded",
  },
  "checkout.session.async_payment_failed": {
    object: "checkout_session",
    effect: "upsert",
    description: "A delayed Checkout payment fails: the order is not paid.",
    suggestedTrigger: "checkoutPaymentFailed",
  },
  "customer.subscription.created": {
    object: "subscription",
    effect: "upsert",
    description: "A customer starts a subscription (or a trial): the contact's plan, status and MRR follow it.",
    suggestedTrigger: "subscriptionStarted",
  },
  "customer.subscription.updated": {
    object: "subscription",
    effect: "upsert",
    description: "A subscription changes: an upgrade or downgrade, a trial that converts, a payment that falls past due.",
    suggestedTrigger: "subscriptionUpdated",
  },
  "customer.subscription.deleted": {
    object: "subscription",
    effect: "upsert",
    description: "A subscription ends: the contact stays, its subscription status becomes canceled.",
    suggestedTrigger: "subscriptionCanceled",
  },
  "customer.subscription.paused": {
    object: "subscription",
    effect: "upsert",
    description: "A subscription is paused (a trial ended without a payment method, or paused by hand).",
    suggestedTrigger: "subscriptionPaused",
  },
  "customer.subscription.resumed": {
    object: "subscription",
    effect: "upsert",
    description: "A paused subscription resumes.",
    suggestedTrigger: "subscriptionResumed",
  },
  "customer.subscription.trial_will_end": {
    object: "subscription",
    effect: "upsert",
    description: "A trial ends in three days: the moment to ask for a payment method.",
    suggestedTrigger: "trialEnding",
  },
  "invoice.payment_action_required": {
    object: "invoice",
    effect: "upsert",
    description: "A payment needs the customer to authenticate (3D Secure): send them to the invoice.",
    suggestedTrigger: "paymentActionRequired",
  },
  "payment_intent.succeeded": {
    object: "payment_intent",
    effect: "upsert",
    description: "A payment succeeds, with or without an invoice.",
    suggestedTrigger: "paymentSucceeded",
  },
  "payment_intent.payment_failed": {
    object: "payment_intent",
    effect: "upsert",
    description: "A payment attempt fails, with or without an invoice.",
    suggestedTrigger: "paymentIntentFailed",
  },
  "charge.refunded": {
    object: "charge",
    effect: "upsert",
    description: "A payment is refunded, in full or in part: lifetime value goes down by the refund.",
    suggestedTrigger: "paymentRefunded",
  },
  "charge.dispute.created": {
    object: "dispute",
    effect: "upsert",
    description: "A customer disputes a payment with their bank.",
    suggestedTrigger: "disputeOpened",
  },
  "charge.dispute.closed": {
    object: "dispute",
    effect: "upsert",
    description: "A dispute is closed: won, lost or withdrawn.",
    suggestedTrigger: "disputeClosed",
  },
  "quote.finalized": {
    object: "quote",
    effect: "upsert",
    description: "A quote is finalized and can be sent to the customer.",
    suggestedTrigger: "quoteSent",
  },
  "quote.accepted": {
    object: "quote",
    effect: "upsert",
    description: "A customer accepts a quote.",
    suggestedTrigger: "quoteAccepted",
  },
  "quote.canceled": {
    object: "quote",
    effect: "upsert",
    description: "A quote is canceled.",
    suggestedTrigger: "quoteCanceled",
  },
} as const satisfies Record<string, CatalogueEntry>;

export type SupportedEventType = keyof typeof stripeEventCatalogue;

export const supportedEventTypes = Object.keys(stripeEventCatalogue) as SupportedEventType[];

export function isSupportedEventType(type: string): type is SupportedEventType {
  return Object.hasOwn(stripeEventCatalogue, type);
}
