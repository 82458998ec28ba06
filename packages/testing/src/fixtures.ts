// Vitest fixtures for tests on real Postgres and Redis. A test names what it needs and gets it:
//
//   test("…", async ({ db, appDb, box, queue }) => { … })
//
// Everything here is file-scoped: made for the first test of a file that asks for it, shared by
// the file's tests, and closed or dropped after its last one. So each test file has a database of
// its own (a clone of the run's migrated template), a Redis key prefix of its own and an
// encryption key of its own; tests within a file share them and keep apart by making their own
// workspaces (`newEndpoint` makes one with an endpoint). Nothing is made that no test asks for: a
// file that never names `queue` never opens Redis.
import { Redis } from "ioredis";
import { test as base } from "vitest";
import { createDestination, createEndpoint, createWorkspace, withWorkspace, type CreateDestinationOptions } from "@hookloop/core";
import { createDb, type DatabaseOptions } from "@hookloop/db/client";
import { openQueue } from "@hookloop/queue";
import { SecretBox, parseKeyring } from "@hookloop/secrets";
import { createTestEnvironment } from "./test-environment";

type PoolOptions = Omit<DatabaseOptions, "connectionString" | "refusePrivilegedRole">;

/** Pool sizes for `db` and `appDb`; a file that needs others says so with `test.override("pools", …)`. */
export type TestPools = { db: PoolOptions; appDb: PoolOptions };

export const test = base
  .extend("pools", { scope: "file" }, { db: { max: 4 }, appDb: { max: 8 } } as TestPools)
  /** The file's database URL, Redis URL and prefix, encryption keys, and the variables the apps read. */
  .extend("environment", { scope: "file" }, async ({}, { onCleanup }) => {
    const environment = await createTestEnvironment();
    onCleanup(() => environment.cleanup());
    return environment;
  })
  /** The test's own view, as the database owner: row-level security does not apply. */
  .extend("db", { scope: "file" }, async ({ environment, pools }, { onCleanup }) => {
    const db = createDb({ connectionString: environment.databaseUrl, ...pools.db });
    onCleanup(() => db.$disconnect());
    return db;
  })
  /**
   * Logged in as the services log in (hookloop_app): row-level security applies. Each connection
   * checks it could not step outside it, as the services' do in production.
   */
  .extend("appDb", { scope: "file" }, async ({ environment, pools }, { onCleanup }) => {
    const appDb = createDb({ connectionString: environment.serviceDatabaseUrl, refusePrivilegedRole: true, ...pools.appDb });
    onCleanup(() => appDb.$disconnect());
    return appDb;
  })
  /** The secret box for the file's encryption keys, as the services make it. */
  .extend("box", { scope: "file" }, ({ environment }) => new SecretBox(parseKeyring(environment.encryptionKeys)))
  /** A Redis connection (commands wait for the server rather than fail, as BullMQ needs). */
  .extend("redis", { scope: "file" }, ({ environment }, { onCleanup }) => {
    const redis = new Redis(environment.redisUrl, { maxRetriesPerRequest: null });
    onCleanup(() => redis.disconnect());
    return redis;
  })
  /** The deliveries queue under the file's Redis prefix, as ingest and the relay open it. */
  .extend("queue", { scope: "file" }, ({ environment, redis }, { onCleanup }) => {
    const queue = openQueue("deliveries", { connection: redis, prefix: environment.redisPrefix });
    onCleanup(() => queue.close());
    return queue;
  })
  /**
   * Makes a workspace of its own with one endpoint (no secret, and no event enabled yet, where the
   * dashboard's would start with invoice.paid), through `appDb`; `inWorkspace` runs work in that workspace and `stored` reads
   * the endpoint's row.
   */
  .extend("newEndpoint", ({ appDb, box }) => async () => {
    const workspace = await createWorkspace(appDb, { name: "Acme" });
    const endpoint = await withWorkspace(appDb, workspace.id, (tx) =>
      createEndpoint(tx, { box, workspaceId: workspace.id, name: "Stripe live", enable: [] }),
    );
    const inWorkspace = <T>(work: Parameters<typeof withWorkspace<T>>[2]) => withWorkspace(appDb, workspace.id, work);
    const stored = () => inWorkspace((tx) => tx.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } }));
    return { workspaceId: workspace.id, endpointId: endpoint.id, inWorkspace, stored };
  })
  /**
   * Makes a workspace of its own with one destination, through `appDb`: "CRM" at
   * https://crm.example/hooks receiving every trigger event unless `settings` says otherwise.
   * Gives its id and signing secret, and `inWorkspace`.
   */
  .extend(
    "newDestination",
    ({ appDb, box }) =>
      async (settings: Partial<Omit<CreateDestinationOptions, "box" | "workspaceId">> = {}) => {
        const workspace = await createWorkspace(appDb, { name: "Acme" });
        const workspaceId = workspace.id;
        const inWorkspace = <T>(work: Parameters<typeof withWorkspace<T>>[2]) => withWorkspace(appDb, workspaceId, work);
        const destination = await inWorkspace((tx) =>
          createDestination(tx, {
            box,
            workspaceId,
            name: "CRM",
            url: "https://crm.example/hooks",
            triggers: "all",
            contactChanges: false,
            allowPrivateTargets: false,
            ...settings,
          }),
        );
        return { workspaceId, destinationId: destination.id, secret: destination.secret, inWorkspace };
      },
  );
