// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL.
import { applyMigrations } from "../src/migrate";

const connectionString = process.env.DATABASE_URL;
if (!connectionString) {
  console.error("DATABASE_URL is not set");
  process.exit(2);
}
const applied = await applyMigrations({ connectionString });
console.log(applied.length ? `applied ${applied.join(", ")}` : "database is up to date");
