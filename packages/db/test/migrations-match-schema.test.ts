// prisma/migrations must build exactly the database schema.prisma describes, and the database's
// functions must be exactly those of prisma/functions: a schema change without its migration, or a
// function changed anywhere but in its file, fails here. (Prisma's shadow-database diff does not
// work offline; this compares real databases instead.)
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyFunctions, applyMigrations, currentDatamodel, diffDatamodels, functionDrift, migrationsDir } from "../src/migrate";
import { createMigratedDatabase, createTestDatabase, databaseUrl, dropDatabase } from "../src/testing";

const names: string[] = [];
afterAll(async () => {
  for (const name of names) await dropDatabase(name);
});

async function migrationFiles(): Promise<Array<{ folder: string; sql: string }>> {
  const folders = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    folders.map(async (folder) => ({ folder, sql: await readFile(join(migrationsDir, folder, "migration.sql"), "utf8") })),
  );
}

/** Each migration's hand-written section, and the tables migrations dropped along the way. */
async function manualSections(): Promise<{ sections: string[]; droppedTables: string[] }> {
  const sections: string[] = [];
  const droppedTables: string[] = [];
  for (const { sql } of await migrationFiles()) {
    const marker = sql.indexOf("-- hookloop:manual");
    if (marker >= 0) sections.push(sql.slice(marker));
    for (const [, table] of sql.matchAll(/^DROP TABLE "(\w+)";/gm)) droppedTables.push(table!);
  }
  return { sections, droppedTables };
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

function dumpSchema(url: string): string {
  return execFileSync("pg_dump", ["--schema-only", "--no-owner", "--no-privileges", "--exclude-table=_prisma_migrations", url], {
    encoding: "utf8",
  })
    .split("\n")
    .filter((line) => !line.startsWith("--") && !line.startsWith("\\restrict") && !line.startsWith("\\unrestrict") && line.trim())
    .join("\n");
}

const definitions = (url: string) =>
  withClient(url, async (client) => {
    const { rows } = await client.query<{ signature: string; definition: string }>(
      `SELECT p.oid::regprocedure::text AS signature, pg_get_functiondef(p.oid) AS definition
       FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'hookloop\\_%' ORDER BY 1`,
    );
    return rows;
  });

let migratedUrl: string;
let fromSchemaUrl: string;

beforeAll(async () => {
  const suffix = randomBytes(4).toString("hex");
  const migrated = `hookloop_test_migrated_${suffix}`;
  const fromSchema = `hookloop_test_schema_${suffix}`;
  names.push(migrated, fromSchema);
  migratedUrl = await createMigratedDatabase(migrated);

  // The other database: Prisma's SQL for schema.prisma, the hand-written sections below each
  // migration's marker (what Prisma cannot express: roles, row-level security), then the functions.
  await withClient(databaseUrl("postgres"), (admin) => admin.query(`CREATE DATABASE "${fromSchema}"`));
  fromSchemaUrl = databaseUrl(fromSchema);
  const sql = await diffDatamodels({ from: { tag: "empty" }, to: await currentDatamodel(), connectionString: fromSchemaUrl });
  await withClient(fromSchemaUrl, async (client) => {
    await client.query(sql);
    // A table a later migration dropped may still be named by an earlier section: it stands in,
    // empty, while they replay.
    const { sections, droppedTables } = await manualSections();
    for (const table of droppedTables) await client.query(`CREATE TABLE "${table}" (workspace_id text)`);
    for (const manual of sections) await client.query(manual);
    for (const table of droppedTables) await client.query(`DROP TABLE IF EXISTS "${table}"`);
  });
  await applyFunctions({ connectionString: fromSchemaUrl });
});

describe("the schema", () => {
  it("the migrations folder builds the same database as schema.prisma", () => {
    expect(dumpSchema(migratedUrl)).toBe(dumpSchema(fromSchemaUrl));
  });

  it("applying the migrations twice applies nothing the second time", async () => {
    const database = await createTestDatabase();
    names.push(database.name);
    expect(await applyMigrations({ connectionString: database.url })).toEqual([]);
    expect(await functionDrift({ connectionString: database.url })).toEqual([]);
  });
});

it("a database from another migration history is refused with what to do, and left as it was", async () => {
  const database = await createTestDatabase();
  names.push(database.name);
  await withClient(database.url, (client) =>
    client.query(
      "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ('old', 'x', '20261123060000_init', now(), now(), 1)",
    ),
  );
  await expect(applyMigrations({ connectionString: database.url })).rejects.toThrow(
    /applied migrations that prisma\/migrations does not have \(20261123060000_init\).*drop it/,
  );
  expect(await functionDrift({ connectionString: database.url })).toEqual([]);
});

describe("the functions", () => {
  it("no migration defines a function: each lives in prisma/functions, in a file of its own", async () => {
    const defining = (await migrationFiles()).filter(({ sql }) =>
      /\bCREATE\s+(OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE)\b/i.test(sql),
    );
    expect(defining.map(({ folder }) => folder)).toEqual([]);
  });

  it("the migrated database has every function of prisma/functions, each as its file defines it", async () => {
    expect(await functionDrift({ connectionString: migratedUrl })).toEqual([]);
    const migrated = await definitions(migratedUrl);
    expect(migrated.map((row) => row.signature)).toContain("hookloop_claim_delivery(text,uuid)");
    expect(migrated).toEqual(await definitions(fromSchemaUrl));
  });

  it("a function changed by hand, one missing and one no file defines are each reported, and migrating puts them right", async () => {
    const database = await createTestDatabase();
    names.push(database.name);
    await withClient(database.url, async (client) => {
      await client.query(
        "CREATE OR REPLACE FUNCTION hookloop_workspace() RETURNS text LANGUAGE sql STABLE AS $$ SELECT current_setting('app.workspace_id', true) $$",
      );
      await client.query("DROP FUNCTION hookloop_ingest_endpoint(text)");
      await client.query("CREATE FUNCTION hookloop_forgotten() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$");
    });
    expect(await functionDrift({ connectionString: database.url })).toEqual([
      { signature: "hookloop_forgotten()", problem: "unexpected" },
      { signature: "hookloop_ingest_endpoint(text)", problem: "missing" },
      { signature: "hookloop_workspace()", problem: "differs" },
    ]);
    // The check itself changed nothing.
    expect((await definitions(database.url)).map((row) => row.signature)).toContain("hookloop_forgotten()");

    expect(await applyMigrations({ connectionString: database.url })).toEqual([]);
    expect(await functionDrift({ connectionString: database.url })).toEqual([]);
    expect((await definitions(database.url)).map((row) => row.signature)).not.toContain("hookloop_forgotten()");
  });
});
