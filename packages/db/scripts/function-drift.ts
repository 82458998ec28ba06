// `npm run db:function-drift`: whether MIGRATION_DATABASE_URL's functions are the ones in prisma/functions.
// Changes nothing; exits 1 when they differ.
import { functionDrift } from "../src/migrate";
import { readMigrateEnv } from "./env";

let connectionString;
try {
  ({ connectionString } = readMigrateEnv({ ...process.env, NODE_ENV: undefined }));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
}
const drift = await functionDrift({ connectionString });
for (const { signature, problem } of drift) console.log(`${problem}: ${signature}`);
if (drift.length) process.exit(1);
console.log("functions match prisma/functions");
