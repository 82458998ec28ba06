// Prisma's own schema engine, compiled to WebAssembly, so migrations need no native binary and no
// download. It records applied folders in `_prisma_migrations`, the table `prisma migrate deploy`
// uses, so a deployment with the stock CLI can take over at any time. After the migrations, the
// database functions are (re)created from prisma/functions, one file each (applyFunctions).
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as wasmBindings from "@prisma/schema-engine-wasm/schema_engine_bg";

export const prismaDir = fileURLToPath(new URL("../../../prisma/", import.meta.url));
export const schemaPath = join(prismaDir, "schema.prisma");
export const migrationsDir = join(prismaDir, "migrations");
export const functionsDir = join(prismaDir, "functions");

// @types/node 20 declares no WebAssembly namespace; this is the slice used here.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

let wasmReady: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmPath = join(
      require.resolve("@prisma/schema-engine-wasm/schema_engine_bg").replace(/[^/]+$/, ""),
      "schema_engine_bg.wasm",
    );
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      "./schema_engine_bg.js": wasmBindings,
    });
    const exports = instance.exports as { __wbindgen_start: () => void };
    wasmBindings.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return wasmReady;
}

type SchemaFile = { path: string; content: string };

/**
 * The pg adapter factory, with two changes for migrations: a script runs as one multi-statement
 * query (adapter-pg splits scripts at every ";", which breaks functions and DO blocks), and the
 * pools it opens are remembered, because freeing the engine does not close them.
 */
class MigrationPrismaPg extends PrismaPg {
  private readonly opened: Array<{ dispose: () => Promise<void> }> = [];
  override async connect() {
    const adapter = await super.connect();
    const driver = adapter.underlyingDriver() as { query: (sql: string) => Promise<unknown> };
    adapter.executeScript = async (script: string) => {
      try {
        await driver.query(script);
      } catch (error) {
        // The engine reports only "external connector error"; say what Postgres said.
        process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
        throw error;
      }
    };
    this.opened.push(adapter);
    return adapter;
  }
  async closeAll() {
    await Promise.all(this.opened.splice(0).map((adapter) => adapter.dispose()));
  }
}

async function withEngine<T>(
  datamodel: SchemaFile,
  connectionString: string,
  use: (engine: wasmBindings.SchemaEngine) => Promise<T>,
): Promise<T> {
  await loadWasm();
  const factory = new MigrationPrismaPg({ connectionString });
  const engine = await wasmBindings.SchemaEngine.new(
    { datamodels: [[datamodel.path, datamodel.content]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await use(engine);
  } finally {
    engine.free();
    await factory.closeAll();
  }
}

async function readSchema(): Promise<SchemaFile> {
  return { path: "schema.prisma", content: await readFile(schemaPath, "utf8") };
}

async function readMigrationsList() {
  const entries = (await readdir(migrationsDir, { withFileTypes: true }).catch(() => []))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrationDirectories = await Promise.all(
    entries.map(async (name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok" as const, value: await readFile(join(migrationsDir, name, "migration.sql"), "utf8") },
      },
    })),
  );
  const lockfile = await readFile(join(migrationsDir, "migration_lock.toml"), "utf8").catch(() => null);
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: lockfile },
    migrationDirectories,
    shadowDbInitScript: "",
  };
}

/** The schema owner's connection: migrations, functions and the login role's password need it. */
export type MigrateOptions = { connectionString: string };

export type ApplyMigrationsOptions = MigrateOptions & {
  /** Set as hookloop_app's password, which the services' DATABASE_URL then carries; none keeps the one it has. */
  appPassword?: string;
};

/** The role the services log in as (made by the migrations): no superuser, no BYPASSRLS, owns nothing. */
export const serviceRole = "hookloop_app";

/**
 * Applies the folders of prisma/migrations that the database has not seen, then the function
 * files (applyFunctions), then hookloop_app's password when given. Returns the names of the
 * folders it applied.
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<string[]> {
  const migrationsList = await readMigrationsList();
  await refuseUnknownMigrations(
    options.connectionString,
    migrationsList.migrationDirectories.map((directory) => directory.path),
  );
  const applied = await withEngine(await readSchema(), options.connectionString, async (engine) => {
    const result = await engine.applyMigrations({ migrationsList, filters: { externalTables: [], externalEnums: [] } });
    return result.appliedMigrationNames;
  });
  await applyFunctions(options);
  if (options.appPassword !== undefined) await setServiceRolePassword(options.connectionString, options.appPassword);
  return applied;
}

/**
 * Postgres stores a password as this SCRAM-SHA-256 verifier (RFC 7677) anyway; sending the verifier
 * rather than the password keeps the password out of the server's statement log.
 */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  const storedKey = createHash("sha256").update(createHmac("sha256", salted).update("Client Key").digest()).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

async function setServiceRolePassword(connectionString: string, password: string): Promise<void> {
  // Printable ASCII only: clients normalise other characters (SASLprep) in ways that differ, and a
  // verifier made from one form would refuse another.
  if (!/^[\x21-\x7e]{16,}$/.test(password)) {
    throw new Error(
      "DATABASE_APP_PASSWORD must be at least 16 printable ASCII characters, no spaces (e.g. `openssl rand -hex 24`)",
    );
  }
  // The verifier is base64 and digits, so it needs no quoting beyond the literal's quotes.
  await withSql(connectionString, (client) => client.query(`ALTER ROLE ${serviceRole} PASSWORD '${scramVerifier(password)}'`));
}

/**
 * A database that recorded migrations this folder does not have was made by another history (before
 * the baseline, or by a newer Hookloop): the engine would fail on it with "already exists", so say
 * what happened instead.
 */
async function refuseUnknownMigrations(connectionString: string, known: string[]): Promise<void> {
  const recorded = await withSql(connectionString, async (client) => {
    const table = await client.query<{ exists: boolean }>("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists");
    if (!table.rows[0]?.exists) return [];
    const rows = await client.query<{ name: string }>(
      "SELECT migration_name AS name FROM _prisma_migrations WHERE rolled_back_at IS NULL ORDER BY migration_name",
    );
    return rows.rows.map((row) => row.name);
  });
  const unknown = recorded.filter((name) => !known.includes(name));
  if (unknown.length) {
    throw new Error(
      `This database applied migrations that prisma/migrations does not have (${unknown.join(", ")}). ` +
        "It was made before the 20261201000000_baseline migration or by a newer Hookloop; " +
        "a database from before the baseline cannot be upgraded: drop it (its data is lost) and migrate again.",
    );
  }
}

/** A routine Hookloop owns: its name starts with this (the runner drops any it has no file for). */
const functionPrefix = "hookloop_";

type FunctionFile = { name: string; sql: string };

/** prisma/functions/<name>.sql, in name order; each defines the routine (or overloads) called <name>. */
export async function readFunctionFiles(): Promise<FunctionFile[]> {
  const names = (await readdir(functionsDir)).filter((file) => file.endsWith(".sql")).sort();
  return Promise.all(
    names.map(async (file) => {
      const name = file.slice(0, -".sql".length);
      if (!/^hookloop_[a-z0-9_]+$/.test(name)) {
        throw new Error(`prisma/functions/${file}: a function file is named after its function, hookloop_<name>.sql`);
      }
      return { name, sql: await readFile(join(functionsDir, file), "utf8") };
    }),
  );
}

async function withSql<T>(connectionString: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function inTransaction<T>(client: pg.Client, work: () => Promise<T>, { commit }: { commit: boolean }): Promise<T> {
  await client.query("BEGIN");
  try {
    const result = await work();
    await client.query(commit ? "COMMIT" : "ROLLBACK");
    return result;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

/** Every hookloop_ routine of the current schema, by signature, with its definition. */
async function functionDefinitions(client: pg.Client): Promise<Map<string, string>> {
  const { rows } = await client.query<{ signature: string; definition: string }>(
    `SELECT p.oid::regprocedure::text AS signature, pg_get_functiondef(p.oid) AS definition
     FROM pg_proc p
     WHERE p.pronamespace = current_schema()::regnamespace AND starts_with(p.proname, $1)
     ORDER BY 1`,
    [functionPrefix],
  );
  return new Map(rows.map((row) => [row.signature, row.definition]));
}

/**
 * Drops every hookloop_ routine and creates them again from the files, inside the caller's
 * transaction, so the database holds exactly what the files define: a function whose file was
 * deleted goes, and so does the old signature of one whose parameters changed.
 */
async function installFunctions(client: pg.Client, files: FunctionFile[]): Promise<void> {
  // One runner at a time (several services may migrate on start).
  await client.query("SELECT pg_advisory_xact_lock(hashtext('hookloop:functions'))");
  for (const signature of (await functionDefinitions(client)).keys()) await client.query(`DROP ROUTINE ${signature}`);
  for (const file of files) {
    try {
      await client.query(file.sql);
    } catch (error) {
      throw new Error(`prisma/functions/${file.name}.sql: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }
  const made = new Set([...(await functionDefinitions(client)).keys()].map((signature) => signature.replace(/\(.*$/, "")));
  const strays = [...made].filter((name) => !files.some((file) => file.name === name));
  const empty = files.filter((file) => !made.has(file.name)).map((file) => `${file.name}.sql`);
  if (strays.length || empty.length) {
    throw new Error(
      `prisma/functions: each file defines the function it is named after` +
        (strays.length ? `; no file is named after ${strays.join(", ")}` : "") +
        (empty.length ? `; ${empty.join(", ")} defines no function of its name` : ""),
    );
  }
}

/**
 * (Re)creates the database functions from prisma/functions, in one transaction: every hookloop_
 * routine is dropped and each file applied, in name order. Idempotent; run after the migrations.
 */
export async function applyFunctions(options: MigrateOptions): Promise<void> {
  const files = await readFunctionFiles();
  await withSql(options.connectionString, (client) =>
    inTransaction(client, () => installFunctions(client, files), { commit: true }),
  );
}

export type FunctionDrift = {
  /** The routine's name and argument types, as Postgres prints them. */
  signature: string;
  /** missing: a file defines it, the database lacks it; unexpected: the database has it, no file does; differs: both, unlike. */
  problem: "missing" | "unexpected" | "differs";
};

/**
 * How the database's hookloop_ routines differ from prisma/functions; empty when they agree.
 * Compares pg_get_functiondef of each with what the files make on the same database, in a
 * transaction that is rolled back, so nothing changes. Needs the owner's connection, as migrating does.
 */
export async function functionDrift(options: MigrateOptions): Promise<FunctionDrift[]> {
  const files = await readFunctionFiles();
  return withSql(options.connectionString, (client) =>
    inTransaction(
      client,
      async () => {
        const actual = await functionDefinitions(client);
        await installFunctions(client, files);
        const expected = await functionDefinitions(client);
        const drift: FunctionDrift[] = [];
        for (const [signature, definition] of expected) {
          if (!actual.has(signature)) drift.push({ signature, problem: "missing" });
          else if (actual.get(signature) !== definition) drift.push({ signature, problem: "differs" });
        }
        for (const signature of actual.keys()) if (!expected.has(signature)) drift.push({ signature, problem: "unexpected" });
        return drift.sort((a, b) => a.signature.localeCompare(b.signature));
      },
      { commit: false },
    ),
  );
}

export type DatamodelSource = { tag: "empty" } | { tag: "schemaDatamodel"; files: SchemaFile[] };

/** The SQL that takes a database from one datamodel to another; needs no database of its own. */
export async function diffDatamodels(options: {
  from: DatamodelSource;
  to: DatamodelSource;
  connectionString: string;
}): Promise<string> {
  return withEngine(await readSchema(), options.connectionString, async (engine) => {
    let stdout = "";
    const originalWrite = process.stdout.write.bind(process.stdout);
    try {
      // The engine prints the script through its host's stdout; capture it instead.
      process.stdout.write = (chunk: string | Uint8Array) => {
        stdout += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
        return true;
      };
      const result = (await engine.diff({
        from: options.from,
        to: options.to,
        script: true,
        exitCode: null,
        filters: { externalTables: [], externalEnums: [] },
      })) as { stdout?: string };
      return result.stdout ?? stdout;
    } finally {
      process.stdout.write = originalWrite;
    }
  });
}

export async function currentDatamodel(): Promise<DatamodelSource> {
  return { tag: "schemaDatamodel", files: [await readSchema()] };
}

export function describeMigrationsDir(): string {
  return relative(process.cwd(), migrationsDir);
}
