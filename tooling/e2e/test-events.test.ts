// The dashboard's "Send test event" against the running ingest and worker: events that name the
// customer only by their Stripe id (subscriptions, quotes) are applied to the test customer, whom
// the test introduces first with the customer event the endpoint has enabled, and so is every
// other supported type.
import { expect } from "vitest";
import { sendTestEvent, setEndpointSecret, updateEndpointSettings } from "@hookloop/core";
import { supportedEventTypes } from "@hookloop/domain";
import { newTestSigningSecret } from "@hookloop/testing";
import { test as stackTest } from "./stack";

const enabled = (...types: string[]) =>
  types.map((eventType) => ({ eventType, enabled: true, triggerName: eventType.replaceAll(".", "_") }));

const test = stackTest
  /** A new endpoint with a signing secret and `types` on, each firing its type's name with dots as underscores. */
  .extend("signedEndpoint", ({ box, newEndpoint }) => async (...types: string[]) => {
    const endpoint = await newEndpoint();
    const { workspaceId, endpointId } = endpoint;
    await endpoint.inWorkspace(async (tx) => {
      await setEndpointSecret(tx, { workspaceId, box, endpointId, secret: newTestSigningSecret() });
      await updateEndpointSettings(tx, {
        workspaceId,
        endpointId,
        events: enabled(...types),
        onCustomerDeleted: "unsubscribe",
        syncNames: true,
      });
    });
    return endpoint;
  });

test.beforeAll(async ({ apps }) => void apps);

test.for(["customer.subscription.created", "quote.accepted"])(
  "a test %s is processed for the test customer and fires its trigger event",
  async (eventType, { apps, appDb, box, signedEndpoint }) => {
    const { workspaceId, endpointId } = await signedEndpoint("customer.created", eventType);

    const result = await sendTestEvent(appDb, {
      workspaceId,
      box,
      endpointId,
      eventType,
      ingestUrl: apps.ingestUrl,
      waitMs: 20_000,
    });

    expect(result.customerEvent).toMatchObject({ eventType: "customer.created", delivery: { status: "processed" } });
    expect(result.httpStatus).toBe(200);
    expect(result.delivery).toMatchObject({
      status: "processed",
      contact: { email: expect.stringMatching(/^test\+\w+@example\.com$/), firstName: "Test", lastName: "Customer" },
      triggerEvents: [expect.objectContaining({ name: eventType.replaceAll(".", "_") })],
    });
    expect(result.delivery?.contact?.id).toBe(result.customerEvent?.delivery?.contact?.id);
  },
);

test("a test customer.subscription.created is refused, saying why, when no customer event is enabled", async ({
  apps,
  appDb,
  box,
  db,
  signedEndpoint,
}) => {
  const { workspaceId, endpointId } = await signedEndpoint("customer.subscription.created");

  await expect(
    sendTestEvent(appDb, { workspaceId, box, endpointId, eventType: "customer.subscription.created", ingestUrl: apps.ingestUrl }),
  ).rejects.toThrow(/names the customer only by their Stripe id.*Enable one of them/);
  expect(await db.delivery.count({ where: { endpointId } })).toBe(0);
});

test("a test event of every supported type is processed with its contact and trigger event", async ({
  apps,
  appDb,
  box,
  signedEndpoint,
}) => {
  const { workspaceId, endpointId } = await signedEndpoint(...supportedEventTypes);

  const outcomes = [];
  for (const eventType of supportedEventTypes) {
    const { delivery } = await sendTestEvent(appDb, { workspaceId, box, endpointId, eventType, ingestUrl: apps.ingestUrl });
    outcomes.push({
      eventType,
      status: delivery?.status,
      hasContact: Boolean(delivery?.contact),
      triggers: delivery?.triggerEvents.length,
    });
  }
  expect(outcomes).toEqual(
    supportedEventTypes.map((eventType) => ({
      eventType,
      status: "processed",
      hasContact: true,
      triggers: 1,
    })),
  );
}, 120_000);
