// Prisma's own schema engine, compiled to WebAssembly, so migrations need no native binary and no
// download. It records applied folders in `_prisma_migrations`, the table `prisma migrate deploy`
// uses, so a deployment with the stock CLI can take over at any time.
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as wasmBindings from "@prisma/schema-engine-wasm/schema_engine_bg";

export const prismaDir = fileURLToPath(new URL("../../../prisma/", import.meta.url));
export const schemaPath = join(prismaDir, "schema.prisma");
export const migrationsDir = join(prismaDir, "migrations");

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

async function readMigrationsList(until?: string) {
  const entries = (await readdir(migrationsDir, { withFileTypes: true }).catch(() => []))
    .filter((entry) => entry.isDirectory() && (!until || entry.name <= until))
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

/**
 * Applies the folders of prisma/migrations that the database has not seen, up to and including
 * `until` if given (to test an upgrade from an older schema). Returns their names.
 */
export async function applyMigrations(options: { connectionString: string; until?: string }): Promise<string[]> {
  const migrationsList = await readMigrationsList(options.until);
  return withEngine(await readSchema(), options.connectionString, async (engine) => {
    const result = await engine.applyMigrations({ migrationsList, filters: { externalTables: [], externalEnums: [] } });
    return result.appliedMigrationNames;
  });
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
    const originalWrite = process.stdout.write;
    try {
      // The engine prints the script through its host's stdout; capture it instead.
      process.stdout.write = ((chunk: string | Uint8Array) => {
        stdout += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
        return true;
      }) as typeof process.stdout.write;
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
