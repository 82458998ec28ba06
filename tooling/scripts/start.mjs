// `npm start`: installs what is missing, builds what is missing or stale, prepares the database,
// starts every service from its built JavaScript and prints where to find them. Ctrl-C stops them all.
import { execFileSync, spawn } from "node:child_process";
import { installIfNeeded, loadDotEnv, requireServices, root, say } from "./bootstrap.mjs";
import { buildIfStale } from "./build-if-stale.mjs";

installIfNeeded();
loadDotEnv();
/** @param {string} name */
function setting(name) {
  const value = process.env[name];
  if (value) return value;
  process.stderr.write(`[hookloop] ${name} is not set: add it to .env (or delete .env to have it written afresh)\n`);
  process.exit(1);
}
// Migrations log in as the database owner (MIGRATION_DATABASE_URL); the services as hookloop_app
// (DATABASE_URL), which the migrations make and which cannot step outside row-level security.
if (!process.env.MIGRATION_DATABASE_URL) {
  // A .env from before the services logged in as hookloop_app has one URL, the owner's, for both.
  const owner = setting("DATABASE_URL");
  const service = new URL(owner);
  service.username = "hookloop_app";
  service.password = process.env.DATABASE_APP_PASSWORD ?? "";
  process.env.MIGRATION_DATABASE_URL = owner;
  process.env.DATABASE_URL = service.toString();
  say("no MIGRATION_DATABASE_URL in .env: migrating with DATABASE_URL, and starting the services as hookloop_app.");
  say(`  To say so in .env:  MIGRATION_DATABASE_URL=${owner}`);
  say(`                      DATABASE_URL=${service.toString()}`);
}
const [MIGRATION_DATABASE_URL, REDIS_URL] = [setting("MIGRATION_DATABASE_URL"), setting("REDIS_URL")];
setting("DATABASE_URL");
await requireServices({ databaseUrl: MIGRATION_DATABASE_URL, redisUrl: REDIS_URL });

const { default: pg } = await import("pg");
const database = decodeURIComponent(new URL(MIGRATION_DATABASE_URL).pathname.slice(1));
const adminUrl = new URL(MIGRATION_DATABASE_URL);
adminUrl.pathname = "/postgres";
const admin = new pg.Client({ connectionString: adminUrl.toString() });
await admin.connect();
const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
if (!exists.rowCount) {
  await admin.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  say(`created database ${database}`);
}
await admin.end();

buildIfStale();
// Makes hookloop_app (and sets its password when DATABASE_APP_PASSWORD is set).
execFileSync(process.execPath, ["packages/db/dist/migrate.js"], { cwd: root, stdio: "inherit" });

const [ingestUrl, dashboardUrl] = [setting("INGEST_PUBLIC_URL"), setting("DASHBOARD_URL")];
const ingestPort = new URL(ingestUrl).port || "3100";
const dashboardPort = new URL(dashboardUrl).port || "3000";
const apiPort = process.env.API_PORT ?? "3200";
// On a developer's machine destinations may be local receivers; production refuses them.
const allowPrivateTargets = process.env.DESTINATIONS_ALLOW_PRIVATE_TARGETS ?? "true";
// Without an SMTP server, account emails (and the links in them) are written to the dashboard's log.
const mailToLog = !process.env.SMTP_URL;
const services = [
  {
    name: "ingest",
    args: ["--enable-source-maps", "apps/ingest/dist/main.js"],
    env: { PORT: ingestPort },
    health: `http://127.0.0.1:${ingestPort}/readyz`,
  },
  {
    name: "api",
    args: ["--enable-source-maps", "apps/api/dist/main.js"],
    env: { PORT: apiPort },
    health: `http://127.0.0.1:${apiPort}/readyz`,
  },
  {
    name: "worker",
    args: ["--enable-source-maps", "apps/worker/dist/main.js"],
    env: { DESTINATIONS_ALLOW_PRIVATE_TARGETS: allowPrivateTargets },
    health: "http://127.0.0.1:3101/readyz",
  },
  {
    name: "dashboard",
    // Next's standalone server behind serve.mjs, as the dashboard image runs it; it binds HOSTNAME:PORT.
    args: ["apps/dashboard/.next/standalone/apps/dashboard/serve.mjs"],
    env: {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: dashboardPort,
      HOSTNAME: "0.0.0.0",
      DESTINATIONS_ALLOW_PRIVATE_TARGETS: allowPrivateTargets,
      MAIL_TO_LOG: mailToLog ? "true" : "false",
    },
    health: `http://127.0.0.1:${dashboardPort}/sign-in`,
  },
];

// The services never see the owner's URL.
const { MIGRATION_DATABASE_URL: _owner, ...servicesEnv } = process.env;
const children = services.map((service) => {
  const child = spawn(process.execPath, service.args, {
    cwd: root,
    env: { ...servicesEnv, ...service.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const prefix = `${service.name.padEnd(9)}| `;
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = "";
    stream.on("data", (chunk) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) process.stdout.write(prefix + line + "\n");
    });
  }
  child.on("exit", (code, signal) => {
    if (stopping) return;
    say(`${service.name} exited (${signal ?? code}); stopping everything`);
    stop(1);
  });
  return child;
});

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  void Promise.all(
    children.map(
      (child) =>
        new Promise((/** @type {(value?: unknown) => void} */ resolve) =>
          child.exitCode !== null ? resolve() : child.once("exit", resolve),
        ),
    ),
  ).then(() => process.exit(code));
}
process.on("SIGINT", () => stop());
process.on("SIGTERM", () => stop());

/** @param {string} url */
async function waitReady(url) {
  for (let attempt = 0; attempt < 600 && !stopping; attempt++) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

for (const service of services) {
  if (!(await waitReady(service.health))) {
    say(`${service.name} did not become ready`);
    stop(1);
  }
}
say("Hookloop is running:");
say(`  dashboard (sign up here first)            ${dashboardUrl}`);
say(`  ingest (the URLs you paste into Stripe)   ${ingestUrl}`);
say(`  API (npm run hookloop -- apikey:create)   http://127.0.0.1:${apiPort}/v1  (reference: /v1/docs)`);
say(`  worker health                             http://127.0.0.1:3101/readyz`);
if (allowPrivateTargets === "true")
  say(
    "Destinations may send to private and loopback addresses here (DESTINATIONS_ALLOW_PRIVATE_TARGETS=true), so a local receiver works.",
  );
if (mailToLog)
  say(
    "Emails (sign-up confirmations, invitations, password resets) are written below, in the dashboard's log, with their links: set SMTP_URL in .env to send them.",
  );
say("Admin from the terminal:  npm run hookloop -- help");
say("Ctrl-C stops everything.");
