// `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with
// the SQL from the schema as it stood at the last committed migration to the working tree's.
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { currentDatamodel, diffDatamodels, migrationsDir, type DatamodelSource } from "../src/migrate";
import { adminUrl } from "../src/testing";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <name in snake_case>");
  process.exit(2);
}

function schemaAtLastMigration(): DatamodelSource {
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: migrationsDir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  let commit = "";
  try {
    commit = git("log", "-1", "--format=%H", "--", ".");
  } catch {
    // no commits yet
  }
  if (!commit) return { tag: "empty" };
  return { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: git("show", `${commit}:prisma/schema.prisma`) }] };
}

const sql = await diffDatamodels({
  from: schemaAtLastMigration(),
  to: await currentDatamodel(),
  connectionString: process.env.MIGRATION_DATABASE_URL ?? adminUrl(),
});
if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
  console.log("schema.prisma matches the last migration: nothing to write");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const folder = join(migrationsDir, `${stamp}_${name}`);
await mkdir(folder, { recursive: true });
await writeFile(join(folder, "migration.sql"), sql);
console.log(`wrote ${folder}/migration.sql`);
