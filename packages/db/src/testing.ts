// Fresh databases for tests: one template per test run, migrated once, cloned per test file.
import pg from "pg";
import { randomBytes } from "node:crypto";
import { applyMigrations, serviceRole } from "./migrate";

export function adminUrl(): string {
  return process.env.HOOKLOOP_TEST_ADMIN_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

export function databaseUrl(name: string, base = adminUrl()): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * hookloop_app's password on a test server that asks for one (HOOKLOOP_TEST_APP_PASSWORD), set by
 * every migration the kit runs; the local server trusts local logins and needs none.
 */
const testAppPassword = () => process.env.HOOKLOOP_TEST_APP_PASSWORD || undefined;

/** The same database as `url`, logged in the way the services log in: as hookloop_app. */
export function serviceUrl(url: string): string {
  const service = new URL(url);
  service.username = serviceRole;
  service.password = testAppPassword() ?? "";
  return service.toString();
}

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A new database with every migration and function applied. */
export async function createMigratedDatabase(name: string): Promise<string> {
  await withAdmin(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  });
  const url = databaseUrl(name);
  const appPassword = testAppPassword();
  await applyMigrations({ connectionString: url, ...(appPassword ? { appPassword } : {}) });
  return url;
}

/** The part of a template's name that identifies its test run ("adhoc" without one). */
export const testRunId = (template: string | undefined) => template?.replace(/^hookloop_template_/, "") ?? "adhoc";

export type TestDatabase = {
  name: string;
  /** As its owner, as migrations connect. */
  url: string;
  /** As hookloop_app, as the services connect. */
  serviceUrl: string;
  drop: () => Promise<void>;
};

/**
 * A database of its own for one test file, cloned from the run's migrated template
 * (HOOKLOOP_TEST_TEMPLATE_DATABASE, made by the test runner), or migrated from scratch without one.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env.HOOKLOOP_TEST_TEMPLATE_DATABASE;
  // Named after the run's template, so a run clearing its leftovers never drops another run's clones.
  const name = `hookloop_test_${testRunId(template)}_${randomBytes(6).toString("hex")}`;
  let url: string;
  if (template) {
    await withAdmin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
    url = databaseUrl(name);
  } else {
    url = await createMigratedDatabase(name);
  }
  return { name, url, serviceUrl: serviceUrl(url), drop: () => dropDatabase(name) };
}

export type TestSqlConnection = pg.Client;

/**
 * A plain `pg` connection to a test database as the URL's user (the owner's URL, or `serviceUrl`'s
 * hookloop_app), for tests that speak SQL to Postgres itself.
 */
export async function connectTestDatabase(url: string): Promise<TestSqlConnection> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Every table holding a workspace's data (ARCHITECTURE.md, Tenancy): row-level security, forced, on each. */
export const tenantTables = [
  "endpoint",
  "endpoint_event",
  "delivery",
  "contact",
  "contact_event",
  "trigger_event",
  "contact_suppression",
  "erasure_audit",
  "destination",
  "message",
  "message_attempt",
  "audit_entry",
  "stripe_connection",
  "import_run",
  "endpoint_refusal",
  "alert",
] as const;
