// A database from before the contact history (migration 20261123120446_contact_history) keeps its
// contacts, their trigger events and its deleted customers: what it holds starts the history, and
// later Stripe events are replayed on top of it.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDb, type Db } from "@hookloop/db/client";
import { applyMigrations } from "@hookloop/db/migrate";
import { createMigratedDatabase, dropDatabase, testRunId } from "@hookloop/db/testing";
import { SecretBox, parseKeyring } from "@hookloop/secrets";
import { recordTestDelivery, stripeEvent } from "@hookloop/testing";
import { createEndpoint } from "../endpoint/create-endpoint";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { applyDelivery } from "./apply-delivery";

const lastMigrationBefore = "20261123100500_record_deliveries_in_batches";
const name = `hookloop_test_${testRunId(process.env.HOOKLOOP_TEST_TEMPLATE_DATABASE)}_${randomBytes(6).toString("hex")}`;
let url: string;
let db: Db;
let appDb: Db;

beforeAll(async () => {
  url = await createMigratedDatabase(name, { until: lastMigrationBefore });
  db = createDb({ connectionString: url, max: 2 });
  appDb = createDb({ connectionString: url, max: 2, role: "hookloop_app" });
});
afterAll(async () => {
  await db?.$disconnect();
  await appDb?.$disconnect();
  await dropDatabase(name);
});

it("contacts made before the contact history keep their ids, triggers and deletions, and later events build on them", async () => {
  const workspace = await createWorkspace(db, { name: "Upgraded" });
  const box = new SecretBox(parseKeyring(`test:${randomBytes(32).toString("base64")}`));
  const endpoint = await withWorkspace(db, workspace.id, (tx) =>
    createEndpoint(tx, {
      box,
      workspaceId: workspace.id,
      name: "Stripe",
      enable: [{ eventType: "invoice.paid", triggerName: "successfulPayment" }, { eventType: "customer.updated" }],
    }),
  );
  const [ada, bob] = [randomUUID(), randomUUID()];
  // As the database's owner: this schema is older than the Prisma client's.
  await db.$executeRawUnsafe(
    `INSERT INTO contact (id, workspace_id, email, first_name, last_name, subscribed, source, stripe_customer_id) VALUES
       ($2, $1, 'ada@example.com', 'Ada', 'Lovelace', true, 'Stripe', 'cus_ada'),
       ($3, $1, 'bob@example.com', 'Bob', NULL, false, 'Stripe', 'cus_bob')`,
    workspace.id,
    ada,
    bob,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO stripe_customer (workspace_id, customer_id, contact_id, email, last_event_created, last_event_id, deleted_at) VALUES
       ($1, 'cus_ada', $2, 'ada@example.com', to_timestamp(1700000000), 'evt_old', NULL),
       ($1, 'cus_bob', $3, 'bob@example.com', to_timestamp(1700000100), 'evt_bob_deleted', now())`,
    workspace.id,
    ada,
    bob,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO trigger_event (workspace_id, contact_id, name, properties, stripe_event_id, occurred_at)
     VALUES ($1, $2, 'successfulPayment', '{}', 'evt_old', to_timestamp(1700000000))`,
    workspace.id,
    ada,
  );

  expect(await applyMigrations({ connectionString: url })).toEqual(["20261123120446_contact_history"]);

  const deliver = async (type: string, fixture: Parameters<typeof stripeEvent>[1]) => {
    const delivery = await recordTestDelivery(db, {
      workspaceId: workspace.id,
      endpointId: endpoint.id,
      event: stripeEvent(type, fixture),
    });
    return applyDelivery(appDb, { deliveryId: delivery.id, workspaceId: workspace.id });
  };
  // The customer is known from before: an invoice without an email finds its contact.
  expect(await deliver("invoice.paid", { customerId: "cus_ada", email: null, created: 1_700_000_200 })).toMatchObject({
    status: "processed",
    contactId: ada,
  });
  expect(
    await deliver("customer.updated", {
      customerId: "cus_ada",
      email: "ada.king@example.com",
      name: "Ada King",
      created: 1_700_000_300,
    }),
  ).toMatchObject({ contactId: ada, reason: "Changed the contact's email from ada@example.com to ada.king@example.com." });
  // A late update of a customer deleted before the upgrade leaves its contact as it is.
  expect(
    await deliver("customer.updated", {
      customerId: "cus_bob",
      email: "bob@example.com",
      name: "Robert",
      created: 1_700_000_050,
    }),
  ).toMatchObject({
    reason: expect.stringContaining("Stripe deleted customer cus_bob"),
  });

  const contacts = await db.contact.findMany({ where: { workspaceId: workspace.id }, orderBy: { email: "asc" } });
  expect(contacts).toMatchObject([
    { id: ada, email: "ada.king@example.com", firstName: "Ada", lastName: "King", subscribed: true },
    { id: bob, email: "bob@example.com", firstName: "Bob", subscribed: false },
  ]);
  const triggers = await db.triggerEvent.findMany({ where: { workspaceId: workspace.id }, orderBy: { occurredAt: "asc" } });
  expect(triggers.map((trigger) => [trigger.stripeEventId.startsWith("evt_old") ? "evt_old" : "new", trigger.contactId])).toEqual(
    [
      ["evt_old", ada],
      ["new", ada],
    ],
  );
});
