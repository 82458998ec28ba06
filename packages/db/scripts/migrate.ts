// `npm run db:migrate` and the migrate image: applies prisma/migrations to MIGRATION_DATABASE_URL,
// then prisma/functions, then hookloop_app's password from DATABASE_APP_PASSWORD when set.
import { applyMigrations } from "../src/migrate";
import { readMigrateEnv } from "./env";

let env;
try {
  env = readMigrateEnv();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
}
const applied = await applyMigrations(env).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
console.log(
  `${applied.length ? `applied ${applied.join(", ")}` : "migrations are up to date"}; functions created from prisma/functions` +
    (env.appPassword ? "; hookloop_app's password set from DATABASE_APP_PASSWORD" : ""),
);
// The WebAssembly schema engine leaves a 10 s timer behind after its work is done; exit instead of waiting it out.
process.exit(0);
