// `npm run db:function-drift`: whether DATABASE_URL's functions are the ones in prisma/functions.
// Changes nothing; exits 1 when they differ.
import { functionDrift } from "../src/migrate";

const connectionString = process.env.DATABASE_URL;
if (!connectionString) {
  console.error("DATABASE_URL is not set");
  process.exit(2);
}
const drift = await functionDrift({ connectionString });
for (const { signature, problem } of drift) console.log(`${problem}: ${signature}`);
if (drift.length) process.exit(1);
console.log("functions match prisma/functions");
