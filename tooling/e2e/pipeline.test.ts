// The whole back half as a user runs it: the CLI creates a workspace and endpoint, Stripe-signed
// events of every supported type are posted to the running ingest, and the running worker writes
// the contacts and trigger events.
import { describe, expect } from "vitest";
import { supportedEventTypes } from "@hookloop/domain";
import { newTestSigningSecret, recordTestDelivery, signedStripeRequest, stripeEvent } from "@hookloop/testing";
import { runCli, waitUntil } from "./processes";
import { test } from "./stack";

describe("Stripe → ingest → queue → worker → contacts", () => {
  // Both processes start before the first test, within the hook's minute rather than its 30 s.
  test.beforeAll(async ({ apps }) => void apps, 60_000);

  test("applies a realistic event of every contact event type, posted as Stripe posts it", async ({
    apps: { ingestUrl },
    cli,
    db,
  }) => {
    const workspace = cli("workspace:create", "--name", "Acme");
    const secret = newTestSigningSecret();
    const endpoint = cli(
      "endpoint:create",
      "--workspace",
      workspace.id,
      "--secret",
      secret,
      "--on-delete",
      "unsubscribe",
      ...supportedEventTypes.flatMap((type) => ["--enable", `${type}=${type.replaceAll(".", "_")}`]),
    );
    expect(endpoint.url).toBe(`${ingestUrl}/webhooks/stripe/${endpoint.id}`);

    let created = 1_750_000_000;
    const events = [
      stripeEvent("customer.created", {
        customerId: "cus_ada",
        email: "ada@example.com",
        name: "Ada Lovelace",
        created: created++,
      }),
      stripeEvent("customer.updated", {
        customerId: "cus_ada",
        email: "ada@lovelace.dev",
        name: "Ada Lovelace",
        created: created++,
      }),
      stripeEvent("invoice.paid", { customerId: "cus_ada", email: "ada@lovelace.dev", amount: 2900, created: created++ }),
      stripeEvent("invoice.payment_failed", { customerId: "cus_ada", email: "ada@lovelace.dev", created: created++ }),
      stripeEvent("invoice.upcoming", { customerId: "cus_ada", email: "ada@lovelace.dev", created: created++ }),
      stripeEvent("checkout.session.completed", {
        customerId: "cus_grace",
        email: "grace@example.com",
        name: "Grace Hopper",
        created: created++,
      }),
      stripeEvent("customer.deleted", { customerId: "cus_grace", email: "grace@example.com", created }),
    ];
    // The contact events; billing-lifecycle.test.ts posts the subscription, payment, refund, dispute and quote ones.
    expect(new Set(events.map((event) => event.type)).size).toBe(7);
    const post = async (event: (typeof events)[number]) => {
      const request = signedStripeRequest(event, secret);
      const response = await fetch(endpoint.url, { method: "POST", headers: request.headers, body: request.body });
      expect(response.status, await response.clone().text()).toBe(200);
      expect(await response.json()).toEqual({ received: true, status: "queued" });
    };
    const processed = (count: number) =>
      waitUntil(async () => (await db.delivery.count({ where: { endpointId: endpoint.id, status: "processed" } })) === count, {
        what: `${count} deliveries to be processed`,
      });
    // Workers apply concurrently; the deletion goes last so it finds the contact to unsubscribe
    // (a deletion applied first would, rightly, keep the older checkout from creating it).
    for (const event of events.slice(0, -1)) await post(event);
    await processed(events.length - 1);
    await post(events.at(-1)!);
    await processed(events.length);

    const contacts = cli("contacts:list", "--workspace", workspace.id);
    expect(contacts).toHaveLength(2);
    expect(contacts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          email: "ada@lovelace.dev",
          firstName: "Ada",
          lastName: "Lovelace",
          subscribed: true,
          stripeCustomerId: "cus_ada",
        }),
        expect.objectContaining({ email: "grace@example.com", firstName: "Grace", lastName: "Hopper", subscribed: false }),
      ]),
    );
    const triggerEvents = cli("events:list", "--workspace", workspace.id);
    expect(triggerEvents.map((event: { name: string }) => event.name).sort()).toEqual(
      events.map((event) => event.type.replaceAll(".", "_")).sort(),
    );
    const paid = triggerEvents.find((event: { name: string }) => event.name === "invoice_paid");
    expect(paid).toMatchObject({ contact: { email: "ada@lovelace.dev" }, properties: { amount: 2900, currency: "usd" } });

    const erased = cli(
      "contacts:erase",
      "--workspace",
      workspace.id,
      "--email",
      "Ada@Lovelace.dev",
      "--requested-by",
      "privacy@acme.test",
    );
    expect(erased).toMatchObject({ contactDeleted: true, triggerEventsDeleted: 5, deliveriesRedacted: 5 });
    expect(cli("contacts:list", "--workspace", workspace.id).map((contact: { email: string }) => contact.email)).toEqual([
      "grace@example.com",
    ]);

    const deliveries = cli("deliveries:list", "--endpoint", endpoint.id);
    expect(deliveries).toHaveLength(events.length);
    expect(
      deliveries.every((delivery: { status: string; reason: string }) => delivery.status === "processed" && delivery.reason),
    ).toBe(true);
  });

  test("a delivery recorded by an ingest that died before queueing it is still applied", async ({ cli, db }) => {
    const workspace = cli("workspace:create", "--name", "Crashy");
    const endpoint = cli(
      "endpoint:create",
      "--workspace",
      workspace.id,
      "--secret",
      newTestSigningSecret(),
      "--enable",
      "invoice.paid=paid",
    );
    const event = stripeEvent("invoice.paid", { customerId: "cus_1", email: "survivor@example.com" });
    // What ingest had written when it was killed: the row and its outbox entry, queued nowhere.
    await recordTestDelivery(db, {
      workspaceId: workspace.id,
      endpointId: endpoint.id,
      event,
      outboxRecordedAt: new Date(Date.now() - 60_000),
    });
    await waitUntil(async () => (await db.delivery.findFirst({ where: { stripeEventId: event.id } }))?.status === "processed", {
      what: "the relay to queue the stranded delivery",
    });
    expect(await db.contact.count({ where: { workspaceId: workspace.id, email: "survivor@example.com" } })).toBe(1);
    expect(await db.triggerEvent.count({ where: { workspaceId: workspace.id, name: "paid" } })).toBe(1);
  });

  test("the CLI answers bad arguments with one line and exit code 2", ({ apps: { env } }) => {
    const missing = runCli(["endpoint:create", "--workspace", "ws_x"], env);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe("hookloop: --secret is required\n");
    const unknown = runCli(["nope"], env);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim().split("\n")).toHaveLength(1);
    const badSecret = runCli(["endpoint:create", "--workspace", "ws_x", "--secret", "pk_test_123"], env);
    expect(badSecret.status).toBe(2);
    expect(badSecret.stderr).toMatch(/publishable API key/);
    const badDelete = runCli(["endpoint:create", "--workspace", "ws_x", "--secret", "whsec_x", "--on-delete", "maybe"], env);
    expect(badDelete).toMatchObject({ status: 2, stderr: "hookloop: --on-delete must be delete or unsubscribe\n" });
  });

  test("SIGTERM drains both services and they exit 0", async ({ apps: { ingest, worker } }) => {
    const [ingestCode, workerCode] = await Promise.all([ingest.stop("SIGTERM"), worker.stop("SIGTERM")]);
    expect(ingestCode).toBe(0);
    expect(workerCode).toBe(0);
  });
});
