// Vitest global setup: one migrated template database per test run, cloned by each test file
// (createTestDatabase), and dropped with every clone when the run ends.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { adminUrl, createMigratedDatabase, dropDatabase, testRunId } from "@hookloop/db/testing";

export default async function setup() {
  const template = `hookloop_template_${randomBytes(4).toString("hex")}`;
  await createMigratedDatabase(template);
  process.env.HOOKLOOP_TEST_TEMPLATE_DATABASE = template;
  return async () => {
    const client = new pg.Client({ connectionString: adminUrl() });
    await client.connect();
    // Only this run's clones: other runs (other people, the fault suite) may be using theirs.
    const clones = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [
      `hookloop_test_${testRunId(template)}_`,
    ]);
    await client.end();
    // Clones whose test file crashed before dropping them.
    for (const { datname } of clones.rows) await dropDatabase(datname).catch(() => undefined);
    await dropDatabase(template);
  };
}
