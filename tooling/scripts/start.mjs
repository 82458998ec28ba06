// `npm start`: installs what is missing, prepares the database, builds the dashboard when its
// sources changed, starts every service and prints where to find them. Ctrl-C stops them all.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { installIfNeeded, loadDotEnv, requireServices, root, say } from "./bootstrap.mjs";

installIfNeeded();
loadDotEnv();
const { DATABASE_URL, REDIS_URL } = process.env;
await requireServices({ databaseUrl: DATABASE_URL, redisUrl: REDIS_URL });

const { default: pg } = await import("pg");
const database = decodeURIComponent(new URL(DATABASE_URL).pathname.slice(1));
const adminUrl = new URL(DATABASE_URL);
adminUrl.pathname = "/postgres";
const admin = new pg.Client({ connectionString: adminUrl.toString() });
await admin.connect();
const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
if (!exists.rowCount) {
  await admin.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  say(`created database ${database}`);
}
await admin.end();

execFileSync("npm", ["run", "--silent", "db:migrate"], { cwd: root, stdio: "inherit" });

const dashboardDir = `${root}apps/dashboard/`;
const nextBin = `${root}node_modules/next/dist/bin/next`;

/** The newest modification time of any file the dashboard's build reads. */
function newestSource() {
  const sources = ["apps/dashboard/src", "apps/dashboard/next.config.ts", "apps/dashboard/package.json", "package-lock.json"];
  for (const name of readdirSync(`${root}packages`)) sources.push(`packages/${name}/src`);
  let newest = 0;
  for (const source of sources) {
    const path = `${root}${source}`;
    if (!existsSync(path)) continue;
    const files = statSync(path).isDirectory() ? readdirSync(path, { recursive: true }).map((file) => `${path}/${file}`) : [path];
    for (const file of files) newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

const buildId = `${dashboardDir}.next/BUILD_ID`;
if (!existsSync(buildId) || statSync(buildId).mtimeMs < newestSource()) {
  say("building the dashboard (first run, or its sources changed)…");
  execFileSync(process.execPath, [nextBin, "build"], {
    cwd: dashboardDir,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "inherit",
  });
}

const ingestPort = new URL(process.env.INGEST_PUBLIC_URL).port || "3100";
const dashboardPort = new URL(process.env.DASHBOARD_URL).port || "3000";
const services = [
  {
    name: "ingest",
    args: ["--import", "tsx", "apps/ingest/src/main.ts"],
    env: { PORT: ingestPort },
    health: `http://127.0.0.1:${ingestPort}/readyz`,
  },
  { name: "worker", args: ["--import", "tsx", "apps/worker/src/main.ts"], env: {}, health: "http://127.0.0.1:3101/readyz" },
  {
    name: "dashboard",
    args: [nextBin, "start", "-p", dashboardPort],
    cwd: dashboardDir,
    env: { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    health: `http://127.0.0.1:${dashboardPort}/sign-in`,
  },
];

const children = services.map((service) => {
  const child = spawn(process.execPath, service.args, {
    cwd: service.cwd ?? root,
    env: { ...process.env, ...service.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const prefix = `${service.name.padEnd(9)}| `;
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = "";
    stream.on("data", (chunk) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop();
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
  Promise.all(
    children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", resolve)))),
  ).then(() => process.exit(code));
}
process.on("SIGINT", () => stop());
process.on("SIGTERM", () => stop());

async function waitReady(url) {
  for (let attempt = 0; attempt < 120 && !stopping; attempt++) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
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
say(`  dashboard (sign up here first)            ${process.env.DASHBOARD_URL}`);
say(`  ingest (the URLs you paste into Stripe)   ${process.env.INGEST_PUBLIC_URL}`);
say(`  worker health                             http://127.0.0.1:3101/readyz`);
say("Admin from the terminal:  npm run hookloop -- help");
say("Ctrl-C stops everything.");
