// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL, then prisma/functions.
import { applyMigrations } from "../src/migrate";

const connectionString = process.env.DATABASE_URL;
if (!connectionString) {
  console.error("DATABASE_URL is not set");
  process.exit(2);
}
const applied = await applyMigrations({ connectionString }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
console.log(
  `${applied.length ? `applied ${applied.join(", ")}` : "migrations are up to date"}; functions created from prisma/functions`,
);
// The WebAssembly schema engine leaves a 10 s timer behind after its work is done; exit instead of waiting it out.
process.exit(0);
