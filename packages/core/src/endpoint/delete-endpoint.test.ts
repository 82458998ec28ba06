// Deleting an endpoint: Stripe's next events to its URL are refused as for an unknown endpoint, and
// the workspace keeps its contacts, their history, trigger events and the deliveries behind them.
import { expect } from "vitest";
import { newTestSigningSecret, stripeEvent } from "@hookloop/testing";
import { test } from "@hookloop/testing/fixtures";
import { InvalidInputError, NotFoundError } from "../errors";
import { applyDelivery } from "../delivery/apply-delivery";
import { createEndpointCache } from "../delivery/endpoint-cache";
import { createDeliveryReceiver } from "../delivery/receive-delivery";
import { replayDelivery } from "../delivery/replay-delivery";
import { signStripePayload } from "../stripe/verify-stripe-signature";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { createEndpoint } from "./create-endpoint";
import { deleteEndpoint } from "./delete-endpoint";
import { getEndpoint } from "./get-endpoint";
import { listEndpoints } from "./list-endpoints";

test("a deleted endpoint's URL is refused at once, even by an ingest that cached it, and its contacts and history stay", async ({
  db,
  appDb,
  box,
  queue,
}) => {
  const workspace = await createWorkspace(appDb, { name: "Acme" });
  const workspaceId = workspace.id;
  const inWorkspace = <T>(work: Parameters<typeof withWorkspace<T>>[2]) => withWorkspace(appDb, workspaceId, work);
  const secret = newTestSigningSecret();
  const [endpoint, other] = await inWorkspace(async (tx) => [
    await createEndpoint(tx, { box, workspaceId, name: "Stripe live", secret }),
    await createEndpoint(tx, { box, workspaceId, name: "Stripe test", secret: newTestSigningSecret() }),
  ]);
  // Ingest's receiver, with a cache that keeps an endpoint for a minute.
  const receive = createDeliveryReceiver(appDb, { endpoints: createEndpointCache(appDb, { box, ttlMs: 60_000 }), queue });
  const post = (event: object) => {
    const rawBody = JSON.stringify(event);
    return receive({ endpointId: endpoint.id, rawBody, signatureHeader: signStripePayload({ payload: rawBody, secret }) });
  };
  const paid = await post(stripeEvent("invoice.paid", { customerId: "cus_ada", email: "ada@example.com" }));
  expect(paid.kind).toBe("queued");
  if (paid.kind !== "queued") return;
  await applyDelivery(appDb, { deliveryId: paid.deliveryId, workspaceId });
  const ignored = await post(stripeEvent("customer.created", { customerId: "cus_grace", email: "grace@example.com" }));
  expect(ignored.kind).toBe("ignored");

  const deleted = await inWorkspace((tx) => deleteEndpoint(tx, { workspaceId, endpointId: endpoint.id }));
  expect(deleted).toEqual({ id: endpoint.id, name: "Stripe live", deliveriesKept: 2 });

  // Stripe's next event is refused as for an endpoint that never existed, though the cache had it.
  expect(await post(stripeEvent("invoice.paid", { customerId: "cus_ada", email: "ada@example.com" }))).toEqual({
    kind: "endpoint_not_found",
  });
  expect(await post(stripeEvent("invoice.paid"))).toEqual({ kind: "endpoint_not_found" });
  expect(await db.delivery.count({ where: { endpointId: endpoint.id } })).toBe(2);

  // The workspace keeps the contact, its history and trigger event, and the deliveries behind them.
  const contact = await db.contact.findFirstOrThrow({ where: { workspaceId, email: "ada@example.com" } });
  expect(await db.contactEvent.findMany({ where: { workspaceId }, select: { deliveryId: true, contactId: true } })).toEqual([
    { deliveryId: paid.deliveryId, contactId: contact.id },
  ]);
  expect(await db.triggerEvent.findMany({ where: { workspaceId }, select: { name: true, deliveryId: true } })).toEqual([
    { name: "successfulPayment", deliveryId: paid.deliveryId },
  ]);

  // Nothing lists or opens it, its secrets are gone, and its deliveries are not replayed.
  expect((await inWorkspace((tx) => listEndpoints(tx, { workspaceId }))).map((e) => e.id)).toEqual([other.id]);
  await expect(inWorkspace((tx) => getEndpoint(tx, { workspaceId, endpointId: endpoint.id }))).rejects.toThrow(NotFoundError);
  expect(await db.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({
    deletedAt: expect.any(Date),
    enabled: false,
    secretCiphertext: null,
    previousSecretCiphertext: null,
  });
  await expect(
    inWorkspace((tx) => replayDelivery(tx, { queue, workspaceId, deliveryId: (ignored as { deliveryId: string }).deliveryId })),
  ).rejects.toThrow(new InvalidInputError("This delivery's endpoint was deleted, so it is not replayed."));
  // Deleting it again: it is not there to delete.
  await expect(inWorkspace((tx) => deleteEndpoint(tx, { workspaceId, endpointId: endpoint.id }))).rejects.toThrow(NotFoundError);
});

test("another workspace's endpoint is not found and stays", async ({ newEndpoint, appDb }) => {
  const { endpointId, stored } = await newEndpoint();
  const stranger = await createWorkspace(appDb, { name: "Other" });
  await expect(
    withWorkspace(appDb, stranger.id, (tx) => deleteEndpoint(tx, { workspaceId: stranger.id, endpointId })),
  ).rejects.toThrow(NotFoundError);
  expect((await stored()).deletedAt).toBeNull();
});
