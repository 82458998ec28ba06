// `npm run bench:import -w @hookloop/bench [-- --customers=5000 --concurrency=4]`: imports N
// customers (with their subscriptions and paid invoices) from the local fake of Stripe's API into a
// database of its own, through the official SDK and core's runImport as the worker runs it, and
// reports customers per second. The request pacing is lifted (Stripe's own limit would make it a
// measure of the limit: at 20 requests a second, 5,000 customers take about 8.5 minutes, as two
// requests a customer and one per 100 customers). Checks every contact is there at the end.
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { createEndpoint, createWorkspace, connectStripe, runImport, startImport, withWorkspace } from "@hookloop/core";
import { createDb } from "@hookloop/db/client";
import { createMigratedDatabase, dropDatabase, serviceUrl } from "@hookloop/db/testing";
import { SecretBox, parseKeyring } from "@hookloop/secrets";
import { fakeStripeTestKey, startFakeStripe } from "@hookloop/testing/fake-stripe";

const flag = (name: string, fallback: number) => {
  const value = process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1];
  return value ? Number(value) : fallback;
};
const customers = flag("customers", 5_000);
const concurrency = flag("concurrency", 4);

const dbName = `hookloop_bench_import_${randomBytes(4).toString("hex")}`;
const databaseUrl = await createMigratedDatabase(dbName);
const box = new SecretBox(parseKeyring(`bench:${randomBytes(32).toString("base64")}`));
// As the worker: logged in as hookloop_app, its pool sized as the worker sizes it for an import.
const db = createDb({ connectionString: serviceUrl(databaseUrl), max: concurrency + 2 });
const fake = await startFakeStripe({ customers });
try {
  const api = { apiBase: fake.url, requestsPerSecond: 100_000 };
  const workspace = await createWorkspace(db, { name: "Bench" });
  const workspaceId = workspace.id;
  const endpoint = await withWorkspace(db, workspaceId, (tx) =>
    createEndpoint(tx, { box, workspaceId, name: "Stripe", enable: [] }),
  );
  await connectStripe(db, { workspaceId, endpointId: endpoint.id, box, key: fakeStripeTestKey, api });
  const run = await withWorkspace(db, workspaceId, (tx) => startImport(tx, { workspaceId, endpointId: endpoint.id }));
  const requestsBefore = fake.requests.total;
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  let lastLog = 0;
  const outcome = await runImport(db, {
    workspaceId,
    importRunId: run.id,
    box,
    api,
    concurrency,
    onProgress: (counts) => {
      if (performance.now() - lastLog < 5_000) return;
      lastLog = performance.now();
      process.stderr.write(`import: ${counts.customersRead}/${counts.customersTotal} customers\n`);
    },
  });
  const seconds = (performance.now() - startedAt) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  if (outcome.status !== "succeeded") throw new Error(`the import ended ${outcome.status}`);
  const contacts = await withWorkspace(db, workspaceId, (tx) => tx.contact.count());
  if (contacts !== customers) throw new Error(`expected ${customers} contacts, found ${contacts}`);
  const result = {
    customers,
    subscriptions: outcome.counts.subscriptionsRead,
    paidInvoices: outcome.counts.invoicesRead,
    contacts,
    seconds: Math.round(seconds * 10) / 10,
    customersPerSecond: Math.round((customers / seconds) * 10) / 10,
    stripeRequests: fake.requests.total - requestsBefore,
    /** This process: the SDK, the fake, the replay in TypeScript; Postgres' share is not in it. */
    processCpuMsPerCustomer: Math.round(((cpu.user + cpu.system) / 1000 / customers) * 100) / 100,
    concurrency,
    machine: { cpus: cpus().length, loadAverage: loadavg().map((load) => Math.round(load * 10) / 10) },
    at: new Date().toISOString(),
  };
  await writeFile(new URL("../results/stripe-import.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await fake.close();
  await db.$disconnect();
  await dropDatabase(dbName);
}
