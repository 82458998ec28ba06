// Two workspaces, A and B, each with endpoints, contacts, deliveries, trigger events, a Stripe
// customer and an erasure. Every read and action the dashboard performs through @hookloop/core,
// done as workspace B with workspace A's ids, finds nothing and changes nothing of A. Then the same
// guarantee from the database itself: the hookloop_app role, row-level security and its policies.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  NotFoundError,
  applyDelivery,
  countDeliveriesByDay,
  createEndpoint,
  createWorkspace,
  eraseContact,
  getContact,
  getDelivery,
  getEndpoint,
  listContacts,
  listDeliveries,
  listEndpoints,
  listTriggerEvents,
  replayDelivery,
  sendTestEvent,
  setEndpointSecret,
  updateEndpointSettings,
  withWorkspace,
  type WorkspaceTx,
} from "@hookloop/core";
import { createDb, type Db } from "@hookloop/db/client";
import { tenantTables } from "@hookloop/db/testing";
import { supportedEventTypes } from "@hookloop/domain";
import { openQueue, type TypedQueue } from "@hookloop/queue";
import { SecretBox, parseKeyring } from "@hookloop/secrets";
import {
  createTestEnvironment,
  newTestSigningSecret,
  recordTestDelivery,
  stripeEvent,
  type TestEnvironment,
} from "@hookloop/testing";
import { Redis } from "ioredis";

let environment: TestEnvironment;
/** The test's own view, as the database owner (a superuser: row-level security does not apply). */
let db: Db;
/** What the dashboard, ingest and worker connect as. */
let appDb: Db;
let box: SecretBox;
let redis: Redis;
let queue: TypedQueue<"deliveries">;

type Tenant = {
  workspaceId: string;
  endpointId: string;
  contactId: string;
  contactEmail: string;
  deliveryId: string;
  /** A failed delivery: the kind the dashboard offers to replay. */
  failedDeliveryId: string;
  triggerName: string;
};
let a: Tenant;
let b: Tenant;

async function makeTenant(name: string, prefix: string): Promise<Tenant> {
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
  };
}

beforeAll(async () => {
  environment = await createTestEnvironment();
  db = createDb({ connectionString: environment.databaseUrl, max: 4 });
  appDb = createDb({ connectionString: environment.databaseUrl, max: 4, role: "hookloop_app" });
  box = new SecretBox(parseKeyring(environment.encryptionKeys));
  redis = new Redis(environment.redisUrl, { maxRetriesPerRequest: null });
  queue = openQueue("deliveries", { connection: redis, prefix: environment.redisPrefix });
  a = await makeTenant("Acme", "acme");
  b = await makeTenant("Bolt", "bolt");
});
afterAll(async () => {
  await queue?.close();
  redis?.disconnect();
  await appDb?.$disconnect();
  await db?.$disconnect();
  await environment?.cleanup();
});

/** Every row workspace A has, in every tenant table and the outbox, as the owner sees them. */
async function rowsOf(workspaceId: string) {
  const rows: Record<string, unknown[]> = {};
  for (const table of [...tenantTables, "delivery_outbox"]) {
    const result = await db.$queryRawUnsafe<Array<{ row: Record<string, unknown> }>>(
      `SELECT to_jsonb(t) AS row FROM "${table}" t WHERE workspace_id = $1 ORDER BY to_jsonb(t)::text`,
      workspaceId,
    );
    rows[table] = result.map(({ row }) => row);
  }
  return rows;
}

const jobCount = async () =>
  Object.values(await queue.queue.getJobCounts()).reduce((sum: number, count) => sum + Number(count), 0);

/** As the dashboard does it: inside workspace B's transaction, through the hookloop_app role. */
const asB = <T>(work: (tx: WorkspaceTx) => Promise<T>) => withWorkspace(appDb, b.workspaceId, work);

describe("the dashboard's reads and actions, as workspace B with workspace A's ids", () => {
  let before: Awaited<ReturnType<typeof rowsOf>>;
  let jobsBefore: number;

  beforeAll(async () => {
    before = await rowsOf(a.workspaceId);
    jobsBefore = await jobCount();
    // The set-up really gave A something in every table the checks below look at.
    for (const table of tenantTables) expect(before[table]!.length, table).toBeGreaterThan(0);
  });
  afterAll(async () => {
    expect(await rowsOf(a.workspaceId)).toEqual(before);
    expect(await jobCount()).toBe(jobsBefore);
  });

  // Each read twice: with B's workspace id, as the dashboard passes it, and with A's, as a bug in
  // the dashboard might; row-level security must hide A either way.
  const workspaceIds = () => [
    ["B's workspace id", b.workspaceId],
    ["A's workspace id", a.workspaceId],
  ];

  it("deliveries/[id]: getDelivery of A's delivery is not found", async () => {
    for (const [, workspaceId] of workspaceIds()) {
      await expect(asB((tx) => getDelivery(tx, { workspaceId: workspaceId!, deliveryId: a.deliveryId }))).rejects.toThrow(
        NotFoundError,
      );
    }
  });

  it("audience/[id]: getContact of A's contact is not found", async () => {
    for (const [, workspaceId] of workspaceIds()) {
      await expect(asB((tx) => getContact(tx, { workspaceId: workspaceId!, contactId: a.contactId }))).rejects.toThrow(
        NotFoundError,
      );
    }
  });

  it("endpoints/[id]: getEndpoint, listDeliveries and countDeliveriesByDay of A's endpoint find nothing", async () => {
    for (const [, workspaceId] of workspaceIds()) {
      await expect(asB((tx) => getEndpoint(tx, { workspaceId: workspaceId!, endpointId: a.endpointId }))).rejects.toThrow(
        NotFoundError,
      );
      expect(await asB((tx) => listDeliveries(tx, { workspaceId: workspaceId!, endpointId: a.endpointId }))).toEqual([]);
      expect(await asB((tx) => listDeliveries(tx, { workspaceId: workspaceId!, contactId: a.contactId }))).toEqual([]);
      const perDay = await asB((tx) => countDeliveriesByDay(tx, { workspaceId: workspaceId!, endpointId: a.endpointId }));
      expect(perDay.every((day) => day.queued + day.processed + day.ignored + day.failed === 0)).toBe(true);
    }
    // B's own endpoint page still shows B's deliveries: the reads work, they just do not cross.
    expect(await asB((tx) => listDeliveries(tx, { workspaceId: b.workspaceId, endpointId: b.endpointId }))).not.toEqual([]);
  });

  it("endpoints: listEndpoints shows B's endpoints only", async () => {
    expect((await asB((tx) => listEndpoints(tx, { workspaceId: b.workspaceId }))).map((endpoint) => endpoint.id)).toEqual([
      b.endpointId,
    ]);
    expect(await asB((tx) => listEndpoints(tx, { workspaceId: a.workspaceId }))).toEqual([]);
  });

  it("audience and its CSV export: listContacts never lists A's contacts, whatever the search or cursor", async () => {
    const listed = await asB((tx) => listContacts(tx, { workspaceId: b.workspaceId, after: a.contactId, limit: 500 }));
    expect(listed.contacts.map((contact) => contact.email)).toEqual([b.contactEmail]);
    expect((await asB((tx) => listContacts(tx, { workspaceId: b.workspaceId, search: a.contactEmail }))).contacts).toEqual([]);
    expect((await asB((tx) => listContacts(tx, { workspaceId: a.workspaceId }))).contacts).toEqual([]);
    expect((await asB((tx) => listContacts(tx, { workspaceId: a.workspaceId, after: a.contactId }))).contacts).toEqual([]);
  });

  it("events: listTriggerEvents and the name filter show B's trigger events only", async () => {
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

  it("saveSecretAction: setEndpointSecret on A's endpoint is not found and leaves its secret alone", async () => {
    for (const [, workspaceId] of workspaceIds()) {
      await expect(
        asB((tx) =>
          setEndpointSecret(tx, { box, workspaceId: workspaceId!, endpointId: a.endpointId, secret: newTestSigningSecret() }),
        ),
      ).rejects.toThrow(NotFoundError);
    }
  });

  it("saveSettingsAction: updateEndpointSettings on A's endpoint is not found and changes none of its settings", async () => {
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

  it("replayDeliveryAction: replayDelivery of A's failed delivery is not found and queues nothing", async () => {
    for (const [, workspaceId] of workspaceIds()) {
      await expect(
        asB((tx) => replayDelivery(tx, { queue, workspaceId: workspaceId!, deliveryId: a.failedDeliveryId })),
      ).rejects.toThrow(NotFoundError);
    }
    expect(await queue.queue.getJob(a.failedDeliveryId)).toBeUndefined();
  });

  it("sendTestEventAction: sendTestEvent to A's endpoint is not found before anything is sent", async () => {
    // An address nothing listens on: reaching it would fail with a TypeError, not NotFoundError.
    const ingestUrl = "http://127.0.0.1:9";
    await expect(
      sendTestEvent(appDb, { box, workspaceId: b.workspaceId, endpointId: a.endpointId, eventType: "invoice.paid", ingestUrl }),
    ).rejects.toThrow(NotFoundError);
  });

  it("createEndpointAction: B's transaction cannot create an endpoint in workspace A", async () => {
    await expect(asB((tx) => createEndpoint(tx, { box, workspaceId: a.workspaceId, name: "Planted" }))).rejects.toThrow(
      /row-level security/,
    );
  });

  it("erasure (the CLI's, through the same role): B erasing A's contact's email touches nothing of A", async () => {
    const audit = await asB((tx) =>
      eraseContact(tx, { workspaceId: b.workspaceId, email: a.contactEmail, requestedBy: "dpo@example.com" }),
    );
    expect(audit).toMatchObject({ contactDeleted: false, triggerEventsDeleted: 0, deliveriesRedacted: 0 });
  });
});

describe("row-level security in the database itself", () => {
  /** A connection as hookloop_app, the way the services make theirs. */
  async function asApp<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: environment.databaseUrl, options: "-c role=hookloop_app" });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }
  const count = async (client: pg.Client, sql: string, values: unknown[] = []) =>
    Number((await client.query<{ count: string }>(sql, values)).rows[0]!.count);
  /** Runs `sql` in a savepoint and returns its error code (undefined when it succeeded). */
  async function errorCodeOf(client: pg.Client, sql: string, values: unknown[] = []) {
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

  it("hookloop_app is who the connection acts as, and it has no BYPASSRLS and is no superuser", async () => {
    await asApp(async (client) => {
      expect((await client.query("SELECT current_user")).rows[0]).toEqual({ current_user: "hookloop_app" });
      const role = await client.query("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'hookloop_app'");
      expect(role.rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
    });
  });

  it("every tenant table has row-level security enabled and forced; only the outbox and the auth tables go without", async () => {
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
    // A new table with a workspace_id and no policy shows up here. `delivery_outbox` holds ids only
    // (ARCHITECTURE.md: the relay scans it); `member` and `invitation` are better-auth's.
    const unprotected = tables.filter((row) => !row.relrowsecurity || !row.relforcerowsecurity).map((row) => row.relname);
    expect(unprotected.sort()).toEqual(["delivery_outbox", "invitation", "member"]);
  });

  it("with no workspace named, hookloop_app reads no row of any tenant table", async () => {
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

  it("with workspace A named, hookloop_app reads exactly A's rows", async () => {
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

  it("with workspace A named, rows of B can be neither inserted, nor moved into B, nor touched", async () => {
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
