import { endpointUrl } from "@hookloop/config";
import type { Db } from "@hookloop/db/client";
import { endpointEventSettingSchema, planContactChange, stripeEventSchema } from "@hookloop/domain";
import type { SecretBox } from "@hookloop/secrets";
import { InvalidInputError, NotFoundError } from "../errors";
import { withWorkspace } from "../workspace/with-workspace";
import { activeSigningSecrets } from "./endpoint-secrets";
import { signedStripeRequest, stripeEvent } from "../stripe/sample-events";

export type SendTestEventOptions = {
  workspaceId: string;
  /** Opens the endpoint's signing secret. */
  box: SecretBox;
  endpointId: string;
  eventType: string;
  /** Where ingest listens, as Stripe would reach it. */
  ingestUrl: string;
  /** How long to wait for the worker to apply each event posted. */
  waitMs?: number;
};

/** The customer events that carry the customer's email, in the order a test prefers them. */
const customerEventTypes = ["customer.created", "customer.updated"] as const;

/**
 * Does what a marketer would do by hand in Stripe's dashboard: posts a realistic event, signed with
 * the endpoint's own secret, through the real ingest URL, then reports what became of it. Takes the
 * client: it waits on ingest and the worker between short withWorkspace reads.
 *
 * Stripe's subscription and quote events name the customer only by id, so Hookloop can place them
 * only once a customer event has said whose id it is, and customer.deleted acts on a contact
 * Hookloop already has. For those the test customer is first
 * introduced as Stripe would, by a signed customer event the endpoint has enabled, applied before
 * the event itself is posted; with no such event enabled the test is refused, since the same
 * events from Stripe would fail for every customer Hookloop has not seen.
 */
export async function sendTestEvent(db: Db, options: SendTestEventOptions) {
  const { workspaceId, endpointId, box } = options;
  const endpoint = await withWorkspace(db, workspaceId, (tx) =>
    tx.endpoint.findFirst({ where: { id: endpointId, workspaceId }, include: { events: true } }),
  );
  if (!endpoint) throw new NotFoundError("endpoint");
  const [secret] = activeSigningSecrets(endpoint, box);
  if (!secret) throw new InvalidInputError("Paste the signing secret from Stripe first: the test event is signed with it.");

  const stamp = Date.now().toString(36);
  const created = Math.floor(Date.now() / 1000);
  const customer = { customerId: `cus_test_${stamp}`, email: `test+${stamp}@example.com`, name: "Test Customer" };
  const event = stripeEvent(options.eventType, { ...customer, created });

  const plan = planContactChange(stripeEventSchema.parse(event), {
    syncNames: endpoint.syncNames,
    onCustomerDeleted: endpoint.onCustomerDeleted,
    events: endpoint.events.map((setting) => endpointEventSettingSchema.parse(setting)),
  });
  // A deletion acts on a contact Hookloop already has; an event naming the customer only by id
  // finds the contact through that id.
  const needsKnownCustomer =
    plan.kind === "delete" || (plan.kind === "upsert" && plan.email === null && plan.customerId !== null);
  let customerEvent: TestDelivery | null = null;
  if (needsKnownCustomer) {
    const introduction = customerEventTypes.find((type) =>
      endpoint.events.some((setting) => setting.eventType === type && setting.enabled),
    );
    if (!introduction) {
      throw new InvalidInputError(
        plan.kind === "delete"
          ? `${event.type} acts on a contact Hookloop already has, and the test customer becomes one through customer.created or customer.updated. Enable one of them on this endpoint and send the test again.`
          : `${event.type} names the customer only by their Stripe id: Hookloop learns whose id it is from customer.created or customer.updated. Enable one of them on this endpoint and send the test again; without them, Stripe's ${event.type} events fail for every customer Hookloop has not seen.`,
      );
    }
    // A second earlier, so Stripe's order puts the customer before the event, as Stripe sends them.
    customerEvent = await post(db, options, secret, stripeEvent(introduction, { ...customer, created: created - 1 }));
  }
  return { ...(await post(db, options, secret, event)), customerEvent };
}

type TestDelivery = Awaited<ReturnType<typeof post>>;

async function post(db: Db, options: SendTestEventOptions, secret: string, event: ReturnType<typeof stripeEvent>) {
  const { workspaceId, endpointId } = options;
  const request = signedStripeRequest(event, secret);
  const response = await fetch(endpointUrl(options.ingestUrl, endpointId), {
    method: "POST",
    headers: request.headers,
    body: request.body,
  });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;

  const deadline = Date.now() + (options.waitMs ?? 8_000);
  const read = () =>
    withWorkspace(db, workspaceId, (tx) =>
      tx.delivery.findFirst({
        where: { endpointId, stripeEventId: event.id },
        select: {
          id: true,
          status: true,
          reason: true,
          contact: { select: { id: true, email: true, firstName: true, lastName: true } },
          triggerEvents: { select: { id: true, name: true, properties: true } },
        },
      }),
    );
  let delivery = await read();
  while (delivery?.status === "queued" && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    delivery = await read();
  }
  return { eventId: event.id, eventType: event.type, httpStatus: response.status, answer, delivery };
}
