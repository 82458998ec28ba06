// An event that names its customer only by id (a subscription's, an invoice's without an email)
// waits for the customer's own event, which may never come: a customer made before the endpoint
// existed has none. When the endpoint has a Stripe connection, the worker reads that customer from
// Stripe instead and adds them to the contact history as a snapshot dated when it was read, as an
// import does (imported-records.ts), so the event can be applied. One snapshot per customer: a
// later read of the same customer is not written again.
import type { Db } from "@hookloop/db/client";
import { importedCustomer, planContactChange, stripeEventSchema } from "@hookloop/domain";
import type { SecretBox } from "@hookloop/secrets";
import Stripe from "stripe";
import { applyContactChange } from "../contact/apply-contact-change";
import { createStripeClient, withRateLimitRetry, type StripeApiSettings } from "../stripe/stripe-api";
import { openStripeKey } from "../stripe-connection/stripe-connection-secret";
import { withWorkspace } from "../workspace/with-workspace";

export type CompleteFromStripeOptions = {
  workspaceId: string;
  deliveryId: string;
  box: SecretBox;
  api: StripeApiSettings;
};

export type CompletionOutcome =
  /** The customer was read and added to the history: applying the delivery again can place it. */
  | { status: "completed"; customerId: string }
  /** Nothing to read: no connection, no customer id, or Stripe has no such customer (or no email for them). */
  | { status: "unavailable"; reason: string };

/** The history's id for a customer read from Stripe to complete an event: one per customer. */
export const fetchedCustomerEventId = (customerId: string) => `fetched_${customerId}`;

export async function completeFromStripe(db: Db, options: CompleteFromStripeOptions): Promise<CompletionOutcome> {
  const { workspaceId, deliveryId } = options;
  const found = await withWorkspace(db, workspaceId, (tx) =>
    tx.delivery.findFirst({
      where: { id: deliveryId, workspaceId },
      select: { payload: true, endpoint: { select: { syncNames: true, stripeConnection: true } } },
    }),
  );
  const connection = found?.endpoint.stripeConnection;
  if (!found || !connection) return { status: "unavailable", reason: "The endpoint has no Stripe connection." };
  const event = stripeEventSchema.safeParse(found.payload);
  const change = event.success
    ? planContactChange(event.data, { syncNames: found.endpoint.syncNames, onCustomerDeleted: "unsubscribe", events: [] })
    : null;
  const customerId = change && change.kind === "upsert" ? change.customerId : null;
  if (!customerId) return { status: "unavailable", reason: "The event names no Stripe customer to read." };

  const client = createStripeClient(openStripeKey(options.box, connection), options.api);
  let customer: Stripe.Customer | Stripe.DeletedCustomer;
  try {
    customer = await withRateLimitRetry(client, () => client.stripe.customers.retrieve(customerId));
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) {
      return { status: "unavailable", reason: `Stripe has no customer ${customerId}.` };
    }
    throw error;
  }
  if (customer.deleted) return { status: "unavailable", reason: `Stripe deleted customer ${customerId}.` };
  const snapshot = importedCustomer(JSON.parse(JSON.stringify(customer)), { syncNames: found.endpoint.syncNames });
  if (!snapshot.email) return { status: "unavailable", reason: `Stripe customer ${customerId} has no email either.` };
  const written = await applyContactChange(db, {
    workspaceId,
    eventId: fetchedCustomerEventId(customerId),
    created: new Date(),
    customerId,
    email: snapshot.email,
    ...(snapshot.name ? { name: snapshot.name } : {}),
    authoritative: true,
    origin: "import",
  });
  if (written.status === "erased")
    return { status: "unavailable", reason: `Customer ${customerId}'s email was erased on request.` };
  return { status: "completed", customerId };
}
