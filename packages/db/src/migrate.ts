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

let wasmReady: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmPath = join(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg").replace(/[^/]+$/, ""), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      "./schema_engine_bg.js": wasmBindings as unknown as WebAssembly.ModuleImports,
    });
    const exports = instance.exports as WebAssembly.Exports & { __wbindgen_start: () => void };
    wasmBindings.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return wasmReady;
}

type SchemaFile = { path: string; content: string };

async function openEngine(datamodel: SchemaFile, connectionString: string) {
  await loadWasm();
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString }));
  const logs: string[] = [];
  const engine = await wasmBindings.SchemaEngine.new(
    { datamodels: [[datamodel.path, datamodel.content]] },
    (line: string) => logs.push(line),
    adapter,
  );
  return engine;
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
        content: { tag: "ok", value: await readFile(join(migrationsDir, name, "migration.sql"), "utf8") },
      },
    })),
  );
  const lockfile = await readFile(join(migrationsDir, "migration_lock.toml"), "utf8").catch(() => undefined);
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: lockfile },
    migrationDirectories,
    shadowDbInitScript: "",
  };
}

/** Applies the folders of prisma/migrations that the database has not seen. Returns their names. */
export async function applyMigrations(options: { connectionString: string }): Promise<string[]> {
  const engine = await openEngine(await readSchema(), options.connectionString);
  try {
    const result = (await engine.applyMigrations({
      migrationsList: await readMigrationsList(),
      filters: { externalTables: [], externalEnums: [] },
    })) as { appliedMigrationNames: string[] };
    return result.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

export type DatamodelSource = { tag: "empty" } | { tag: "schemaDatamodel"; files: SchemaFile[] };

/** The SQL that takes a database from one datamodel to another; needs no database of its own. */
export async function diffDatamodels(options: {
  from: DatamodelSource;
  to: DatamodelSource;
  connectionString: string;
}): Promise<string> {
  const engine = await openEngine(await readSchema(), options.connectionString);
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
      shadowDatabaseUrl: null,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    })) as { stdout?: string };
    return result.stdout ?? stdout;
  } finally {
    process.stdout.write = originalWrite;
    engine.free();
  }
}

export async function currentDatamodel(): Promise<DatamodelSource> {
  return { tag: "schemaDatamodel", files: [await readSchema()] };
}

export function describeMigrationsDir(): string {
  return relative(process.cwd(), migrationsDir);
}
