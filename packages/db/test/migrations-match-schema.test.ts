// prisma/migrations must build exactly the database schema.prisma describes: a schema change
// without its migration fails here. (Prisma's shadow-database diff does not work offline; this
// compares two real databases instead.)
import { execFileSync } from "node:child_process";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { currentDatamodel, diffDatamodels, migrationsDir } from "../src/migrate";
import { createMigratedDatabase, createTestDatabase, databaseUrl, dropDatabase, type TestDatabase } from "../src/testing";
import { randomBytes } from "node:crypto";

const names: string[] = [];
afterAll(async () => {
  for (const name of names) await dropDatabase(name);
});

/** Each migration's hand-written section, and the tables migrations dropped along the way. */
async function manualSections(): Promise<{ sections: string[]; droppedTables: string[] }> {
  const folders = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const sections: string[] = [];
  const droppedTables: string[] = [];
  for (const folder of folders) {
    const sql = await readFile(join(migrationsDir, folder, "migration.sql"), "utf8");
    const marker = sql.indexOf("-- hookloop:manual");
    if (marker >= 0) sections.push(sql.slice(marker));
    for (const [, table] of sql.matchAll(/^DROP TABLE "(\w+)";/gm)) droppedTables.push(table!);
  }
  return { sections, droppedTables };
}

function dumpSchema(url: string): string {
  return execFileSync("pg_dump", ["--schema-only", "--no-owner", "--no-privileges", "--exclude-table=_prisma_migrations", url], {
    encoding: "utf8",
  })
    .split("\n")
    .filter((line) => !line.startsWith("--") && !line.startsWith("\\restrict") && !line.startsWith("\\unrestrict") && line.trim())
    .join("\n");
}

it("the migrations folder builds the same database as schema.prisma", async () => {
  const suffix = randomBytes(4).toString("hex");
  const migrated = `hookloop_test_migrated_${suffix}`;
  const fromSchema = `hookloop_test_schema_${suffix}`;
  names.push(migrated, fromSchema);
  const migratedUrl = await createMigratedDatabase(migrated);

  const admin = new pg.Client({ connectionString: databaseUrl("postgres") });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${fromSchema}"`);
  await admin.end();
  const fromSchemaUrl = databaseUrl(fromSchema);
  const sql = await diffDatamodels({ from: { tag: "empty" }, to: await currentDatamodel(), connectionString: fromSchemaUrl });
  const client = new pg.Client({ connectionString: fromSchemaUrl });
  await client.connect();
  await client.query(sql);
  // What Prisma cannot express (row-level security, roles, functions) is written by hand below a
  // marker in each migration; replay it so the comparison covers everything else.
  // A table a later migration dropped may still be named by an earlier section: it stands in,
  // empty, while they replay.
  const { sections, droppedTables } = await manualSections();
  for (const table of droppedTables) await client.query(`CREATE TABLE "${table}" (workspace_id text)`);
  for (const manual of sections) await client.query(manual);
  for (const table of droppedTables) await client.query(`DROP TABLE IF EXISTS "${table}"`);
  await client.end();

  expect(dumpSchema(migratedUrl)).toBe(dumpSchema(fromSchemaUrl));
});

it("applying the migrations twice applies nothing the second time", async () => {
  const database: TestDatabase = await createTestDatabase();
  names.push(database.name);
  const { applyMigrations } = await import("../src/migrate");
  expect(await applyMigrations({ connectionString: database.url })).toEqual([]);
});
