// Tenant isolation: no workspace reads or changes another's data. Two workspaces, A and B, each
// with endpoints, contacts, deliveries, trigger events, a Stripe customer and an erasure. Every read
// and action the dashboard performs through @hookloop/core, done as workspace B with workspace A's
// ids, finds nothing and changes nothing of A. Then the same guarantee from the database itself:
// the hookloop_app role, row-level security and its policies, as services and plain SQL meet them.
import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import type { Db } from "@hookloop/db/client";
import { connectTestDatabase, tenantTables, type TestSqlConnection } from "@hookloop/db/testing";
import { supportedEventTypes } from "@hookloop/domain";
import type { SecretBox } from "@hookloop/secrets";
import { newTestSigningSecret, recordTestDelivery, stripeEvent } from "@hookloop/testing";
import { test as baseTest } from "@hookloop/testing/fixtures";
import {
  NotFoundError,
  applyDelivery,
  cancelImport,
  countDeliveries,
  countDeliveriesByDay,
  createDestination,
  createEndpoint,
  createWorkspace,
  deleteEndpoint,
  eraseContact,
  getContact,
  getDelivery,
  getDestination,
  getEndpoint,
  getEndpointDiagnosis,
  getImportRun,
  getStripeConnection,
  getReplayProgress,
  listAuditEntries,
  listOpenAlerts,
  listContacts,
  listDeliveries,
  listDestinations,
  listEndpoints,
  listMessages,
  listTriggerNames,
  listTriggerEvents,
  removeStripeConnection,
  renameEndpoint,
  replayDeliveries,
  replayDelivery,
  retryFailedMessages,
  retryMessage,
  rotateDestinationSecret,
  sendTestEvent,
  sendTestMessage,
  setDestinationPaused,
  setEndpointSecret,
  startImport,
  updateDestination,
  updateEndpointSettings,
  withWorkspace,
  type WorkspaceTx,
} from "../index";

type Tenant = {
  workspaceId: string;
  endpointId: string;
  contactId: string;
  contactEmail: string;
  deliveryId: string;
  /** A failed delivery: the kind the dashboard offers to replay. */
  failedDeliveryId: string;
  triggerName: string;
  destinationId: string;
  /** A message row's id (a uuid), as the message log links it. */
  messageId: string;
};
type TenantKit = { db: Db; appDb: Db; box: SecretBox };

async function makeTenant({ db, appDb, box }: TenantKit, name: string, prefix: string): Promise<Tenant> {
  const workspace = await createWorkspace(db, { name });
  const triggerName = `${prefix}Paid`;
  const endpoint = await withWorkspace(db, workspace.id, (tx) =>
    createEndpoint(tx, {
      box,
      workspaceId: workspace.id,
      name: `${name} Stripe`,
      secret: newTestSigningSecret(),
      enable: [{ eventType: "invoice.paid", triggerName }, { eventType: "customer.created" }],
    }),
  );
  // A destination, so the trigger event below records a message; one attempt at it is written by hand.
  const destination = await withWorkspace(db, workspace.id, (tx) =>
    createDestination(tx, {
      box,
      workspaceId: workspace.id,
      name: `${name} CRM`,
      url: "http://127.0.0.1:9/hooks",
      triggers: "all",
      contactChanges: false,
      allowPrivateTargets: true,
    }),
  );
  const apply = async (event: ReturnType<typeof stripeEvent>) => {
    const delivery = await recordTestDelivery(db, { workspaceId: workspace.id, endpointId: endpoint.id, event });
    await applyDelivery(appDb, { deliveryId: delivery.id, workspaceId: workspace.id });
    return delivery;
  };
  const contactEmail = `${prefix}@example.com`;
  await apply(stripeEvent("customer.created", { customerId: `cus_${prefix}`, email: contactEmail, name: `${name} Person` }));
  const delivery = await apply(stripeEvent("invoice.paid", { customerId: `cus_${prefix}`, email: contactEmail }));
  const failed = await recordTestDelivery(db, {
    workspaceId: workspace.id,
    endpointId: endpoint.id,
    event: stripeEvent("invoice.paid", { customerId: `cus_${prefix}_unknown`, email: null }),
  });
  await db.delivery.update({ where: { id: failed.id }, data: { status: "failed", reason: "test" } });
  // An erased person: a suppression and an audit record.
  await apply(stripeEvent("invoice.paid", { customerId: `cus_${prefix}_gone`, email: `${prefix}.gone@example.com` }));
  await withWorkspace(appDb, workspace.id, (tx) =>
    eraseContact(tx, { workspaceId: workspace.id, email: `${prefix}.gone@example.com`, requestedBy: "dpo@example.com" }),
  );
  const message = await db.message.findFirstOrThrow({ where: { workspaceId: workspace.id } });
  await db.messageAttempt.create({
    data: { workspaceId: workspace.id, messageId: message.id, attemptedAt: new Date(), httpStatus: 500, latencyMs: 3 },
  });
  // A Stripe connection (a sealed key, as connectStripe stores it) and a finished import of its customers.
  await db.stripeConnection.create({
    data: {
      endpointId: endpoint.id,
      workspaceId: workspace.id,
      keyCiphertext: box.encrypt("rk_test_51TenantIsolationKey", `stripe-key:${workspace.id}:${endpoint.id}`),
      keyLast4: "nKey",
      keyKind: "rk",
      mode: "test",
      accountId: `acct_${prefix}`,
    },
  });
  await db.importRun.create({
    data: { workspaceId: workspace.id, endpointId: endpoint.id, status: "succeeded", customersTotal: 1, customersRead: 1 },
  });
  // Requests ingest refused, as its refusal counter writes them.
  await db.endpointRefusal.create({
    data: {
      workspaceId: workspace.id,
      endpointId: endpoint.id,
      cause: "no_matching_signature",
      hour: new Date(),
      count: 3,
      lastAt: new Date(),
    },
  });
  // An alert the worker's check opened on the endpoint, as its banner shows it.
  await db.alert.create({
    data: {
      workspaceId: workspace.id,
      kind: "endpoint.failing",
      subjectType: "endpoint",
      subjectId: endpoint.id,
      subjectLabel: "Stripe",
      details: { failedLastHour: 10, signatureFailuresLastHour: 0, threshold: 10 },
    },
  });
  const contact = await db.contact.findUniqueOrThrow({
    where: { workspaceId_email: { workspaceId: workspace.id, email: contactEmail } },
  });
  return {
    workspaceId: workspace.id,
    endpointId: endpoint.id,
    contactId: contact.id,
    contactEmail,
    deliveryId: delivery.id,
    failedDeliveryId: failed.id,
    triggerName,
    destinationId: destination.id,
    messageId: message.id,
  };
}

type Rows = Record<string, unknown[]>;

const test = baseTest
  /** Workspace A, the one B must not reach. */
  .extend("a", { scope: "file" }, ({ db, appDb, box }) => makeTenant({ db, appDb, box }, "Acme", "acme"))
  /** Workspace B, the one the dashboard acts as. */
  .extend("b", { scope: "file" }, ({ db, appDb, box }) => makeTenant({ db, appDb, box }, "Bolt", "bolt"))
  /** As the dashboard does it: inside workspace B's transaction, through the hookloop_app role. */
  .extend(
    "asB",
    { scope: "file" },
    ({ appDb, b }) =>
      <T>(work: (tx: WorkspaceTx) => Promise<T>) =>
        withWorkspace(appDb, b.workspaceId, work),
  )
  // Each read twice: with B's workspace id, as the dashboard passes it, and with A's, as a bug in
  // the dashboard might; row-level security must hide A either way.
  .extend("workspaceIds", { scope: "file" }, ({ a, b }) => () => [
    ["B's workspace id", b.workspaceId],
    ["A's workspace id", a.workspaceId],
  ])
  /** Every row a workspace has, in every tenant table and the outbox, as the owner sees them. */
  .extend("rowsOf", { scope: "file" }, ({ db }) => async (workspaceId: string) => {
    const rows: Rows = {};
    for (const table of [...tenantTables, "delivery_outbox", "message_outbox"]) {
      const result = await db.$queryRawUnsafe<Array<{ row: Record<string, unknown> }>>(
        `SELECT to_jsonb(t) AS row FROM "${table}" t WHERE workspace_id = $1 ORDER BY to_jsonb(t)::text`,
        workspaceId,
      );
      rows[table] = result.map(({ row }) => row);
    }
    return rows;
  })
  .extend(
    "jobCount",
    { scope: "file" },
    ({ queue }) =>
      async () =>
        Object.values(await queue.queue.getJobCounts()).reduce((sum: number, count) => sum + Number(count), 0),
  )
  /** A connection as hookloop_app, the way the services make theirs. */
  .extend("asApp", { scope: "file" }, ({ environment }) => async <T>(work: (client: TestSqlConnection) => Promise<T>) => {
    const client = await connectTestDatabase(environment.serviceDatabaseUrl);
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  })
  /** Plain SQL connections for the whole file: as the owner, and as hookloop_app. */
  .extend("ownerSql", { scope: "file" }, async ({ environment }, { onCleanup }) => {
    const owner = await connectTestDatabase(environment.databaseUrl);
    onCleanup(() => owner.end());
    return owner;
  })
  .extend("appSql", { scope: "file" }, async ({ environment }, { onCleanup }) => {
    const app = await connectTestDatabase(environment.serviceDatabaseUrl);
    onCleanup(() => app.end());
    return app;
  });

describe("the dashboard's reads and actions, as workspace B with workspace A's ids", () => {
  let before: Rows;
  let jobsBefore: number;

  test.beforeAll(async ({ a, rowsOf, jobCount }) => {
    before = await rowsOf(a.workspaceId);
    jobsBefore = await jobCount();
    // The set-up really gave A something in every table the checks below look at.
    for (const table of tenantTables) expect(before[table]!.length, table).toBeGreaterThan(0);
  });
  test.afterAll(async ({ a, rowsOf, jobCount }) => {
    expect(await rowsOf(a.workspaceId)).toEqual(before);
    expect(await jobCount()).toBe(jobsBefore);
  });

  test("deliveries/[id]: getDelivery of A's delivery is not found", async ({ a, asB, workspaceIds }) => {
    for (const [, workspaceId] of workspaceIds()) {
      await expect(asB((tx) => getDelivery(tx, { workspaceId: workspaceId!, deliveryId: a.deliveryId }))).rejects.toThrow(
        NotFoundError,
      );
    }
  });

  test("audience/[id]: getContact of A's contact is not found", async ({ a, asB, workspaceIds }) => {
    for (const [, workspaceId] of workspaceIds()) {
      await expect(asB((tx) => getContact(tx, { workspaceId: workspaceId!, contactId: a.contactId }))).rejects.toThrow(
        NotFoundError,
      );
    }
  });

  test("endpoints/[id]: getEndpoint, listDeliveries, countDeliveriesByDay and getEndpointDiagnosis of A's endpoint find nothing", async ({
    a,
    b,
    asB,
    workspaceIds,
  }) => {
    for (const [, workspaceId] of workspaceIds()) {
      await expect(asB((tx) => getEndpoint(tx, { workspaceId: workspaceId!, endpointId: a.endpointId }))).rejects.toThrow(
        NotFoundError,
      );
      expect(await asB((tx) => listDeliveries(tx, { workspaceId: workspaceId!, endpointId: a.endpointId }))).toEqual([]);
      expect(await asB((tx) => listDeliveries(tx, { workspaceId: workspaceId!, contactId: a.contactId }))).toEqual([]);
      const perDay = await asB((tx) => countDeliveriesByDay(tx, { workspaceId: workspaceId!, endpointId: a.endpointId }));
      expect(perDay.every((day) => day.queued + day.processed + day.ignored + day.failed === 0)).toBe(true);
      await expect(
        asB((tx) => getEndpointDiagnosis(tx, { workspaceId: workspaceId!, endpointId: a.endpointId })),
      ).rejects.toThrow(NotFoundError);
    }
    // B's own endpoint page still shows B's deliveries and refusals: the reads work, they just do not cross.
    expect(await asB((tx) => listDeliveries(tx, { workspaceId: b.workspaceId, endpointId: b.endpointId }))).not.toEqual([]);
    const diagnosis = await asB((tx) => getEndpointDiagnosis(tx, { workspaceId: b.workspaceId, endpointId: b.endpointId }));
    expect(diagnosis.refusals.map(({ cause, week }) => ({ cause, week }))).toEqual([{ cause: "no_matching_signature", week: 3 }]);
  });

  test("endpoints: listEndpoints shows B's endpoints only", async ({ a, b, asB }) => {
    expect((await asB((tx) => listEndpoints(tx, { workspaceId: b.workspaceId }))).map((endpoint) => endpoint.id)).toEqual([
      b.endpointId,
    ]);
    expect(await asB((tx) => listEndpoints(tx, { workspaceId: a.workspaceId }))).toEqual([]);
  });

  test("audience and its CSV export: listContacts never lists A's contacts, whatever the search or cursor", async ({
    a,
    b,
    asB,
  }) => {
    const listed = await asB((tx) => listContacts(tx, { workspaceId: b.workspaceId, after: a.contactId, limit: 500 }));
    expect(listed.contacts.map((contact) => contact.email)).toEqual([b.contactEmail]);
    expect((await asB((tx) => listContacts(tx, { workspaceId: b.workspaceId, search: a.contactEmail }))).contacts).toEqual([]);
    expect((await asB((tx) => listContacts(tx, { workspaceId: a.workspaceId }))).contacts).toEqual([]);
    expect((await asB((tx) => listContacts(tx, { workspaceId: a.workspaceId, after: a.contactId }))).contacts).toEqual([]);
  });

  test("endpoints/[id]: the alert banner's listOpenAlerts of A's endpoint finds nothing", async ({ a, asB, workspaceIds }) => {
    for (const [, workspaceId] of workspaceIds()) {
      expect(await asB((tx) => listOpenAlerts(tx, { workspaceId: workspaceId!, subjectId: a.endpointId }))).toEqual([]);
    }
  });

  test("settings/audit and its CSV export: listAuditEntries shows B's entries only, whatever the filter or cursor", async ({
    a,
    b,
    asB,
    workspaceIds,
    db,
  }) => {
    const aEntry = await db.auditEntry.findFirstOrThrow({ where: { workspaceId: a.workspaceId } });
    for (const [, workspaceId] of workspaceIds()) {
      const page = await asB((tx) =>
        listAuditEntries(tx, {
          workspaceId: workspaceId!,
          limit: 500,
          after: { at: new Date(Date.now() + 60_000), id: aEntry.id },
        }),
      );
      expect(page.rows.every((row) => row.id !== aEntry.id)).toBe(true);
    }
    expect((await asB((tx) => listAuditEntries(tx, { workspaceId: a.workspaceId, limit: 500 }))).rows).toEqual([]);
    const own = await asB((tx) => listAuditEntries(tx, { workspaceId: b.workspaceId, limit: 500, actor: aEntry.actorLabel }));
    expect(own.rows.length).toBeGreaterThan(0);
    expect(own.rows.every((row) => row.targetId !== aEntry.targetId)).toBe(true);
  });

  test("events: listTriggerEvents and the name filter show B's trigger events only", async ({ a, b, asB }) => {
    const byContact = await asB((tx) => listTriggerEvents(tx, { workspaceId: b.workspaceId, contactId: a.contactId }));
    expect(byContact).toEqual([]);
    const byName = await asB((tx) => listTriggerEvents(tx, { workspaceId: b.workspaceId, name: a.triggerName }));
    expect(byName).toEqual([]);
    expect(await asB((tx) => listTriggerEvents(tx, { workspaceId: a.workspaceId }))).toEqual([]);
    // The events page's filter: the distinct names, read with no workspace condition of its own.
    const names = await asB((tx) =>
      tx.triggerEvent.findMany({ distinct: ["name"], select: { name: true }, orderBy: { name: "asc" }, take: 100 }),
    );
    expect(names).toEqual([{ name: b.triggerName }]);
  });

  test("saveSecretAction: setEndpointSecret on A's endpoint is not found and leaves its secret alone", async ({
    a,
    asB,
    box,
    workspaceIds,
  }) => {
    for (const [, workspaceId] of workspaceIds()) {
      await expect(
        asB((tx) =>
          setEndpointSecret(tx, { box, workspaceId: workspaceId!, endpointId: a.endpointId, secret: newTestSigningSecret() }),
        ),
      ).rejects.toThrow(NotFoundError);
    }
  });

  test("saveSettingsAction: updateEndpointSettings on A's endpoint is not found and changes none of its settings", async ({
    a,
    asB,
    workspaceIds,
  }) => {
    const events = supportedEventTypes.map((eventType) => ({ eventType, enabled: true, triggerName: "hijacked" }));
    for (const [, workspaceId] of workspaceIds()) {
      await expect(
        asB((tx) =>
          updateEndpointSettings(tx, {
            workspaceId: workspaceId!,
            endpointId: a.endpointId,
            events,
            onCustomerDeleted: "delete",
            syncNames: false,
          }),
        ),
      ).rejects.toThrow(NotFoundError);
    }
  });

  test("replayDeliveryAction: replayDelivery of A's failed delivery is not found and queues nothing", async ({
    a,
    asB,
    queue,
    workspaceIds,
  }) => {
    for (const [, workspaceId] of workspaceIds()) {
      await expect(
        asB((tx) => replayDelivery(tx, { queue, workspaceId: workspaceId!, deliveryId: a.failedDeliveryId })),
      ).rejects.toThrow(NotFoundError);
    }
    expect(await queue.queue.getJob(a.failedDeliveryId)).toBeUndefined();
  });

  test("the endpoint page's rename, delete, bulk replay and its progress on A's endpoint find nothing and change nothing", async ({
    a,
    asB,
    queue,
    workspaceIds,
  }) => {
    for (const [, workspaceId] of workspaceIds()) {
      const ids = { workspaceId: workspaceId!, endpointId: a.endpointId };
      await expect(asB((tx) => renameEndpoint(tx, { ...ids, name: "Planted" }))).rejects.toThrow(NotFoundError);
      await expect(asB((tx) => deleteEndpoint(tx, ids))).rejects.toThrow(NotFoundError);
      expect(await asB((tx) => countDeliveries(tx, { ...ids, replayable: true }))).toBe(0);
      expect(
        await asB((tx) => replayDeliveries(tx, { filter: { ...ids, status: "failed" }, queue, replayedAt: new Date() })),
      ).toBe(0);
      expect(await asB((tx) => getReplayProgress(tx, { ...ids, replayedAt: new Date() }))).toMatchObject({ total: 0 });
    }
    expect(await queue.queue.getJob(a.failedDeliveryId)).toBeUndefined();
  });

  test("the endpoint page's Stripe connection and import of A's endpoint find nothing and change nothing", async ({
    a,
    b,
    asB,
    workspaceIds,
  }) => {
    for (const [, workspaceId] of workspaceIds()) {
      const ids = { workspaceId: workspaceId!, endpointId: a.endpointId };
      expect(await asB((tx) => getStripeConnection(tx, ids))).toBeNull();
      expect(await asB((tx) => getImportRun(tx, ids))).toBeNull();
      await expect(asB((tx) => startImport(tx, ids))).rejects.toThrow(NotFoundError);
      await expect(asB((tx) => cancelImport(tx, ids))).rejects.toThrow(NotFoundError);
      await expect(asB((tx) => removeStripeConnection(tx, ids))).rejects.toThrow(NotFoundError);
    }
    // B's own connection and import are there: the reads work, they just do not cross.
    expect(await asB((tx) => getStripeConnection(tx, { workspaceId: b.workspaceId, endpointId: b.endpointId }))).toMatchObject({
      accountId: "acct_bolt",
    });
    expect(await asB((tx) => getImportRun(tx, { workspaceId: b.workspaceId, endpointId: b.endpointId }))).toMatchObject({
      status: "succeeded",
    });
  });

  test("sendTestEventAction: sendTestEvent to A's endpoint is not found before anything is sent", async ({
    a,
    b,
    appDb,
    box,
  }) => {
    // An address nothing listens on: reaching it would fail with a TypeError, not NotFoundError.
    const ingestUrl = "http://127.0.0.1:9";
    await expect(
      sendTestEvent(appDb, { box, workspaceId: b.workspaceId, endpointId: a.endpointId, eventType: "invoice.paid", ingestUrl }),
    ).rejects.toThrow(NotFoundError);
  });

  test("createEndpointAction: B's transaction cannot create an endpoint in workspace A", async ({ a, asB, box }) => {
    await expect(asB((tx) => createEndpoint(tx, { box, workspaceId: a.workspaceId, name: "Planted" }))).rejects.toThrow(
      /row-level security/,
    );
  });

  test("destinations/[id]: getDestination and listMessages of A's destination are not found", async ({
    a,
    asB,
    box,
    workspaceIds,
  }) => {
    for (const [, workspaceId] of workspaceIds()) {
      await expect(
        asB((tx) => getDestination(tx, { workspaceId: workspaceId!, destinationId: a.destinationId, box })),
      ).rejects.toThrow(NotFoundError);
      await expect(asB((tx) => listMessages(tx, { workspaceId: workspaceId!, destinationId: a.destinationId }))).rejects.toThrow(
        NotFoundError,
      );
    }
  });

  test("destinations: listDestinations and the trigger names offered show B's only", async ({ a, b, asB }) => {
    const listed = await asB((tx) => listDestinations(tx, { workspaceId: b.workspaceId }));
    expect(listed.map((destination) => destination.id)).toEqual([b.destinationId]);
    expect(await asB((tx) => listDestinations(tx, { workspaceId: a.workspaceId }))).toEqual([]);
    const names = await asB((tx) => listTriggerNames(tx, { workspaceId: b.workspaceId }));
    expect(names).toContain(b.triggerName);
    expect(names).not.toContain(a.triggerName);
    expect(await asB((tx) => listTriggerNames(tx, { workspaceId: a.workspaceId }))).toEqual([]);
  });

  test("the destination page's actions on A's destination and message are not found and change nothing", async ({
    a,
    asB,
    box,
    workspaceIds,
  }) => {
    for (const [, workspaceId] of workspaceIds()) {
      const ids = { workspaceId: workspaceId!, destinationId: a.destinationId };
      await expect(
        asB((tx) =>
          updateDestination(tx, {
            ...ids,
            name: "Hijacked",
            url: "https://evil.example/hooks",
            triggers: "all",
            contactChanges: true,
            enabled: true,
            allowPrivateTargets: false,
          }),
        ),
      ).rejects.toThrow(NotFoundError);
      await expect(asB((tx) => rotateDestinationSecret(tx, { ...ids, box }))).rejects.toThrow(NotFoundError);
      await expect(asB((tx) => setDestinationPaused(tx, { ...ids, paused: true }))).rejects.toThrow(NotFoundError);
      await expect(asB((tx) => retryMessage(tx, { workspaceId: workspaceId!, messageId: a.messageId }))).rejects.toThrow(
        NotFoundError,
      );
      await expect(
        asB((tx) => retryFailedMessages(tx, { ...ids, from: new Date(0), to: new Date(Date.now() + 60_000) })),
      ).rejects.toThrow(NotFoundError);
    }
  });

  test("sendTestMessageAction: sendTestMessage to A's destination is not found before anything is sent", async ({
    a,
    b,
    appDb,
    box,
  }) => {
    await expect(
      sendTestMessage(appDb, { workspaceId: b.workspaceId, destinationId: a.destinationId, box, allowPrivateTargets: true }),
    ).rejects.toThrow(NotFoundError);
  });

  test("createDestinationAction: B's transaction cannot create a destination in workspace A", async ({ a, asB, box }) => {
    await expect(
      asB((tx) =>
        createDestination(tx, {
          box,
          workspaceId: a.workspaceId,
          name: "Planted",
          url: "https://evil.example/hooks",
          triggers: "all",
          contactChanges: true,
          allowPrivateTargets: false,
        }),
      ),
    ).rejects.toThrow(/row-level security|workspace not found/);
  });

  test("erasure (the CLI's, through the same role): B erasing A's contact's email touches nothing of A", async ({
    a,
    b,
    asB,
  }) => {
    const audit = await asB((tx) =>
      eraseContact(tx, { workspaceId: b.workspaceId, email: a.contactEmail, requestedBy: "dpo@example.com" }),
    );
    expect(audit).toMatchObject({ contactDeleted: false, triggerEventsDeleted: 0, deliveriesRedacted: 0 });
  });
});

describe("row-level security in the database itself", () => {
  const count = async (client: TestSqlConnection, sql: string, values: unknown[] = []) =>
    Number((await client.query<{ count: string }>(sql, values)).rows[0]!.count);
  /** Runs `sql` in a savepoint and returns its error code (undefined when it succeeded). */
  async function errorCodeOf(client: TestSqlConnection, sql: string, values: unknown[] = []) {
    await client.query("SAVEPOINT attempt");
    try {
      await client.query(sql, values);
      await client.query("RELEASE SAVEPOINT attempt");
      return undefined;
    } catch (error) {
      await client.query("ROLLBACK TO SAVEPOINT attempt");
      return (error as { code?: string }).code;
    }
  }

  test("hookloop_app is who the connection acts as, and it has no BYPASSRLS and is no superuser", async ({ asApp }) => {
    await asApp(async (client) => {
      expect((await client.query("SELECT current_user")).rows[0]).toEqual({ current_user: "hookloop_app" });
      const role = await client.query("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'hookloop_app'");
      expect(role.rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
    });
  });

  test("every tenant table has row-level security enabled and forced; only the outbox and the auth tables go without", async ({
    db,
  }) => {
    const tables = await db.$queryRaw<Array<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>>`
      SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r'
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'workspace_id' AND NOT a.attisdropped)`;
    for (const table of tenantTables) {
      expect(
        tables.find((row) => row.relname === table),
        table,
      ).toEqual({
        relname: table,
        relrowsecurity: true,
        relforcerowsecurity: true,
      });
    }
    // A new table with a workspace_id and no policy shows up here. `delivery_outbox` and
    // `message_outbox` hold ids only (ARCHITECTURE.md: the relays scan them), as does `import_outbox`; `member` and
    // `invitation` are better-auth's.
    const unprotected = tables.filter((row) => !row.relrowsecurity || !row.relforcerowsecurity).map((row) => row.relname);
    expect(unprotected.sort()).toEqual(["delivery_outbox", "import_outbox", "invitation", "member", "message_outbox"]);
  });

  test("with no workspace named, hookloop_app reads no row of any tenant table", async ({ asApp }) => {
    await asApp(async (client) => {
      for (const table of tenantTables) {
        expect(await count(client, `SELECT count(*) FROM "${table}"`), table).toBe(0);
      }
      // Nor does an empty setting (what a pooled connection carries after a transaction) admit any.
      await client.query("BEGIN");
      await client.query("SELECT set_config('app.workspace_id', '', true)");
      for (const table of tenantTables) expect(await count(client, `SELECT count(*) FROM "${table}"`), table).toBe(0);
      await client.query("ROLLBACK");
    });
  });

  test("with workspace A named, hookloop_app reads exactly A's rows", async ({ a, asApp, db }) => {
    await asApp(async (client) => {
      await client.query("BEGIN");
      await client.query("SELECT set_config('app.workspace_id', $1, true)", [a.workspaceId]);
      for (const table of tenantTables) {
        const owned = Number(
          (
            await db.$queryRawUnsafe<Array<{ count: bigint }>>(
              `SELECT count(*) FROM "${table}" WHERE workspace_id = $1`,
              a.workspaceId,
            )
          )[0]!.count,
        );
        expect(owned, table).toBeGreaterThan(0);
        expect(await count(client, `SELECT count(*) FROM "${table}"`), table).toBe(owned);
        expect(await count(client, `SELECT count(*) FROM "${table}" WHERE workspace_id <> $1`, [a.workspaceId]), table).toBe(0);
      }
      await client.query("ROLLBACK");
    });
  });

  test("with workspace A named, rows of B can be neither inserted, nor moved into B, nor touched", async ({
    a,
    b,
    asApp,
    rowsOf,
  }) => {
    const before = { a: await rowsOf(a.workspaceId), b: await rowsOf(b.workspaceId) };
    await asApp(async (client) => {
      await client.query("BEGIN");
      await client.query("SELECT set_config('app.workspace_id', $1, true)", [a.workspaceId]);
      for (const table of tenantTables) {
        // One of B's own rows, written again: refused by the policy before any key is compared.
        const [row] = before.b[table]!;
        expect(row, table).toBeDefined();
        expect(
          await errorCodeOf(client, `INSERT INTO "${table}" SELECT * FROM jsonb_populate_record(NULL::"${table}", $1::jsonb)`, [
            JSON.stringify(row),
          ]),
          `INSERT into ${table}`,
        ).toBe("42501");
        // A's rows cannot be handed to B.
        expect(
          await errorCodeOf(client, `UPDATE "${table}" SET workspace_id = $1 WHERE workspace_id = $2`, [
            b.workspaceId,
            a.workspaceId,
          ]),
          `UPDATE ${table}`,
        ).toBe("42501");
        // B's rows are invisible to UPDATE and DELETE: nothing happens to them.
        const touched = await client.query(`UPDATE "${table}" SET workspace_id = workspace_id WHERE workspace_id = $1`, [
          b.workspaceId,
        ]);
        expect(touched.rowCount, `UPDATE ${table} of B`).toBe(0);
        const deleted = await client.query(`DELETE FROM "${table}" WHERE workspace_id = $1`, [b.workspaceId]);
        expect(deleted.rowCount, `DELETE from ${table} of B`).toBe(0);
      }
      // The same insert for A's own workspace is admitted: the refusals above are the policy's.
      const own = {
        ...(before.a.contact![0] as Record<string, unknown>),
        id: randomUUID(),
        email: "own@example.com",
        first_event_id: "evt_own",
      };
      expect(
        await errorCodeOf(client, `INSERT INTO contact SELECT * FROM jsonb_populate_record(NULL::contact, $1::jsonb)`, [
          JSON.stringify(own),
        ]),
      ).toBeUndefined();
      await client.query("ROLLBACK");
    });
    expect({ a: await rowsOf(a.workspaceId), b: await rowsOf(b.workspaceId) }).toEqual(before);
  });
});

describe("row-level security, one SQL transaction at a time", () => {
  // Two more workspaces, written in plain SQL as the owner; each check runs in a transaction of the
  // hookloop_app connection that is rolled back, so none leaves anything behind.
  test.beforeAll(async ({ ownerSql: owner }) => {
    for (const ws of ["ws_a", "ws_b"]) {
      await owner.query("INSERT INTO workspace (id, name, slug) VALUES ($1, $1, $1)", [ws]);
      await owner.query("SELECT set_config('app.workspace_id', $1, false)", [ws]);
      await owner.query("INSERT INTO endpoint (id, workspace_id, name, updated_at) VALUES ($1, $2, 'Stripe', now())", [
        `ep_${ws}`,
        ws,
      ]);
      await owner.query("INSERT INTO contact (workspace_id, email, source) VALUES ($1, 'ada@example.com', 'Stripe')", [ws]);
    }
    await owner.query("RESET app.workspace_id");
  });

  async function asWorkspace<T>(app: TestSqlConnection, workspaceId: string | null, run: () => Promise<T>): Promise<T> {
    await app.query("BEGIN");
    try {
      if (workspaceId) await app.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
      return await run();
    } finally {
      await app.query("ROLLBACK");
    }
  }

  test("is enabled and forced on every tenant table", async ({ ownerSql: owner }) => {
    const { rows } = await owner.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY($1)",
      [tenantTables],
    );
    expect(rows).toHaveLength(tenantTables.length);
    for (const row of rows) expect(row, row.relname).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
  });

  test("a transaction that names no workspace sees no tenant rows (a forgotten where leaks nothing)", async ({ appSql: app }) => {
    await asWorkspace(app, null, async () => {
      for (const table of tenantTables) {
        expect((await app.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n, table).toBe(0);
      }
    });
  });

  test("a transaction sees only its own workspace's rows", async ({ appSql: app }) => {
    await asWorkspace(app, "ws_a", async () => {
      expect((await app.query("SELECT workspace_id FROM contact")).rows).toEqual([{ workspace_id: "ws_a" }]);
      expect((await app.query("SELECT id FROM endpoint")).rows).toEqual([{ id: "ep_ws_a" }]);
    });
  });

  test("cannot change or write another workspace's rows", async ({ ownerSql: owner, appSql: app }) => {
    await asWorkspace(app, "ws_a", async () => {
      const updated = await app.query("UPDATE contact SET first_name = 'Mallory' WHERE workspace_id = 'ws_b'");
      expect(updated.rowCount).toBe(0);
      const deleted = await app.query("DELETE FROM endpoint WHERE id = 'ep_ws_b'");
      expect(deleted.rowCount).toBe(0);
      await expect(
        app.query("INSERT INTO contact (workspace_id, email, source) VALUES ('ws_b', 'eve@example.com', 'Stripe')"),
      ).rejects.toThrow(/row-level security/);
    });
    const { rows } = await owner.query("SELECT first_name FROM contact WHERE workspace_id = 'ws_b'");
    expect(rows).toEqual([{ first_name: null }]);
  });

  test("ingest reads only the endpoint its URL names", async ({ appSql: app }) => {
    await asWorkspace(app, null, async () => {
      const { rows } = await app.query("SELECT hookloop_ingest_endpoint('ep_ws_a') AS endpoint");
      expect(rows[0].endpoint).toMatchObject({ id: "ep_ws_a", workspaceId: "ws_a" });
      // …and after that lookup, still nothing else
      expect((await app.query("SELECT id FROM endpoint")).rows).toEqual([{ id: "ep_ws_a" }]);
      expect((await app.query("SELECT count(*)::int AS n FROM contact")).rows[0].n).toBe(0);
    });
  });
});
