// `npm run test:browser`: a fresh database and Redis prefix, the built ingest, worker and
// standalone dashboard (the very files `npm start` runs, rebuilt first if their sources changed),
// all on free ports on loopback; then Playwright against them; then everything removed.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { createMigratedDatabase, dropDatabase, serviceUrl } from "@hookloop/db/testing";
import { testRedisUrl } from "@hookloop/testing";
import { startMailbox } from "@hookloop/testing/mailbox";
import { fakeStripeTestKey, startFakeStripe } from "@hookloop/testing/fake-stripe";

const dashboardDir = fileURLToPath(new URL("../", import.meta.url));
const root = fileURLToPath(new URL("../../../", import.meta.url));
const dashboardServer = `${dashboardDir}.next/standalone/apps/dashboard/serve.mjs`;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

async function waitFor(url: string, child: ChildProcess, name: string) {
  for (let attempt = 0; attempt < 240; attempt++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} did not answer at ${url}`);
}

const database = `hookloop_browser_${randomBytes(4).toString("hex")}`;
const redisUrl = testRedisUrl();
// Account emails go to a real SMTP server here; the tests read them over HTTP and follow their links.
const mailbox = await startMailbox({ http: true });
// Stripe's API, for the Stripe connection and its import: a local fake with customers to import.
const stripe = await startFakeStripe({ customers: 120 });
const redisPrefix = `hookloop-browser-${randomBytes(4).toString("hex")}`;
const [ingestPort, workerPort, dashboardPort] = [await freePort(), await freePort(), await freePort()];
const ingestUrl = `http://127.0.0.1:${ingestPort}`;
const dashboardUrl = `http://127.0.0.1:${dashboardPort}`;
const env: NodeJS.ProcessEnv = {
  LOG_LEVEL: "warn",
  ...process.env,
  // Migrated as the owner; the services log in as hookloop_app, as in production.
  DATABASE_URL: serviceUrl(await createMigratedDatabase(database)),
  REDIS_URL: redisUrl,
  REDIS_PREFIX: redisPrefix,
  ENCRYPTION_KEYS: `browser:${randomBytes(32).toString("base64")}`,
  BETTER_AUTH_SECRET: randomBytes(32).toString("base64"),
  INGEST_PUBLIC_URL: ingestUrl,
  DASHBOARD_URL: dashboardUrl,
  NEXT_TELEMETRY_DISABLED: "1",
  // The browser tests' receiver listens on loopback, as on a developer's machine.
  DESTINATIONS_ALLOW_PRIVATE_TARGETS: "true",
  SMTP_URL: mailbox.smtpUrl,
  MAILBOX_URL: mailbox.httpUrl,
  STRIPE_API_BASE: stripe.url,
  STRIPE_REQUESTS_PER_SECOND: "500",
  FAKE_STRIPE_KEY: fakeStripeTestKey,
};

const children: ChildProcess[] = [];
const start = (command: string, args: string[], cwd: string, extra: NodeJS.ProcessEnv) => {
  const child = spawn(command, args, { cwd, env: { ...env, ...extra }, stdio: ["ignore", "inherit", "inherit"] });
  children.push(child);
  return child;
};

let status = 1;
try {
  const build = spawnSync(process.execPath, ["tooling/scripts/build-if-stale.mjs"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) throw new Error("the build failed");
  const ingest = start(process.execPath, ["--enable-source-maps", "apps/ingest/dist/main.js"], root, {
    PORT: String(ingestPort),
    NODE_ENV: "test",
  });
  const worker = start(process.execPath, ["--enable-source-maps", "apps/worker/dist/main.js"], root, {
    WORKER_HEALTH_PORT: String(workerPort),
    RELAY_INTERVAL_MS: "500",
    // Alerts are checked every second, so a banner shows within a test's patience.
    ALERT_INTERVAL_MS: "1000",
    NODE_ENV: "test",
  });
  const dashboard = start(process.execPath, [dashboardServer], root, {
    NODE_ENV: "production",
    PORT: String(dashboardPort),
    HOSTNAME: "127.0.0.1",
  });
  await waitFor(`${ingestUrl}/readyz`, ingest, "ingest");
  await waitFor(`http://127.0.0.1:${workerPort}/readyz`, worker, "worker");
  await waitFor(`${dashboardUrl}/sign-in`, dashboard, "dashboard");
  // Spawned without blocking: this process's mailbox must keep answering the dashboard meanwhile.
  const playwright = spawn("npx", ["playwright", "test", ...process.argv.slice(2)], { cwd: dashboardDir, env, stdio: "inherit" });
  status = await new Promise<number>((resolve) => playwright.once("exit", (code) => resolve(code ?? 1)));
} catch (error) {
  console.error(error);
} finally {
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(
    children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)))),
  );
  await mailbox.close();
  await stripe.close();
  await dropDatabase(database).catch(() => undefined);
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${redisPrefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}
process.exit(status);
