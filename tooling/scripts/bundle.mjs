// `npm run build` of a service: one ES module in dist/, so production runs plain JavaScript.
// The workspace packages ship TypeScript source and are bundled in; every npm package stays in
// node_modules, where its own files (Prisma's runtime, the schema engine's .wasm) are found.
//
//   node tooling/scripts/bundle.mjs [entry = src/main.ts] [outfile = dist/main.js]   (from the workspace)
//
// The bundle sits as deep below the repository root as the source it comes from
// (apps/ingest/dist/main.js, packages/db/dist/migrate.js), so paths a module finds from
// import.meta.url, such as packages/db's `../../../prisma/`, still land on the same place.
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

/**
 * Bare imports (`fastify`, `@prisma/client/runtime/client`, `node:fs`) stay imports, except our own packages.
 * @type {import("esbuild").Plugin}
 */
const npmPackagesExternal = {
  name: "npm-packages-external",
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@hookloop/") ? undefined : { path: args.path, external: true },
    );
  },
};

export async function bundle({ cwd = process.cwd(), entry = "src/main.ts", outfile = "dist/main.js" } = {}) {
  await build({
    absWorkingDir: cwd,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20.19",
    sourcemap: "linked",
    // Stack traces name the source file and function, and the output stays readable.
    keepNames: true,
    logLevel: "warning",
    plugins: [npmPackagesExternal],
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [entry, outfile] = process.argv.slice(2);
  await bundle({ entry, outfile });
}
