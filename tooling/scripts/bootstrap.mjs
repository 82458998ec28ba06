// Shared first steps of `npm start` and `npm test`, written against Node's standard library only,
// since they run before dependencies are installed.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));

/** @param {string} message */
export const say = (message) => process.stdout.write(`[hookloop] ${message}\n`);

/** Installs dependencies when node_modules is missing or older than the lockfile. */
export function installIfNeeded() {
  const marker = `${root}node_modules/.package-lock.json`;
  const lock = `${root}package-lock.json`;
  if (existsSync(marker) && (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs)) return;
  say("installing dependencies (first run)…");
  // `npm install` keeps an existing node_modules and only adds what changed; package-lock.json lists
  // every platform's packages, so it installs what the lock says and leaves the lock as it is
  // (.ci/run installs with `npm ci`, which refuses a lock that package.json has outgrown).
  execFileSync("npm", ["install", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
}

/**
 * Reads `.env` into process.env (what is already set wins); creates it on first run with fresh
 * encryption and session keys and the local services' standard addresses.
 */
export function loadDotEnv() {
  const path = `${root}.env`;
  if (!existsSync(path)) {
    const key = () => randomBytes(32).toString("base64");
    writeFileSync(
      path,
      [
        "# Made by the first `npm start`; edit freely. Variables set in the environment win.",
        "# The services log in as hookloop_app (no superuser, no BYPASSRLS; the migrations make it), and only",
        "# migrations as the database owner. With password logins, DATABASE_APP_PASSWORD sets hookloop_app's",
        "# password when migrating, and DATABASE_URL must carry it.",
        "DATABASE_URL=postgresql://hookloop_app@127.0.0.1:5432/hookloop",
        "MIGRATION_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/hookloop",
        "REDIS_URL=redis://127.0.0.1:6379",
        "INGEST_PUBLIC_URL=http://localhost:3100",
        "DASHBOARD_URL=http://localhost:3000",
        `ENCRYPTION_KEYS=k${new Date().getFullYear()}:${key()}`,
        `BETTER_AUTH_SECRET=${key()}`,
        "# Destinations may be local receivers on this machine; leave this out in production.",
        "DESTINATIONS_ALLOW_PRIVATE_TARGETS=true",
        "# Account emails (sign-up confirmations, invitations, password resets) go to the dashboard's log",
        "# until an SMTP server is named here:",
        "# SMTP_URL=smtp://user:password@smtp.example.com:587",
        "# MAIL_FROM=Hookloop <hookloop@example.com>",
        "",
      ].join("\n"),
      { mode: 0o600 },
    );
    say("wrote .env with fresh keys");
  }
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    const [, name, value] = match ?? [];
    if (name && value !== undefined && process.env[name] === undefined) process.env[name] = value;
  }
}

/**
 * @param {string} url
 * @returns {Promise<boolean>}
 */
export function canConnect(url, timeoutMs = 1500) {
  const { hostname, port } = new URL(url);
  const defaultPort = url.startsWith("redis") ? 6379 : 5432;
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname.replace(/^\[|\]$/g, ""), port: Number(port || defaultPort) });
    /** @param {boolean} ok */
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

const howToGetServices = `
Hookloop needs PostgreSQL (15+) and Redis (6.2+). Either:
  • run them with Docker:   docker compose up -d postgres redis
  • or install them locally (Debian/Ubuntu): sudo apt-get install postgresql redis-server
  • or point DATABASE_URL and REDIS_URL at servers you already have.`;

/**
 * Exits with a plain explanation when Postgres or Redis is not reachable.
 * @param {{ databaseUrl: string, redisUrl: string }} services
 */
export async function requireServices({ databaseUrl, redisUrl }) {
  const missing = [];
  if (!(await canConnect(databaseUrl))) missing.push(`PostgreSQL at ${new URL(databaseUrl).host}`);
  if (!(await canConnect(redisUrl))) missing.push(`Redis at ${new URL(redisUrl).host}`);
  if (missing.length) {
    process.stderr.write(`[hookloop] cannot reach ${missing.join(" or ")}.\n${howToGetServices}\n`);
    process.exit(1);
  }
}

/**
 * Points the test kit at the machine's services (the admin database it creates its own databases
 * from, and Redis) and exits with a plain explanation when they are not reachable.
 */
export async function prepareTestServices() {
  const adminUrl = new URL(
    process.env.HOOKLOOP_TEST_ADMIN_DATABASE_URL ??
      // The owner's server; DATABASE_URL names it too, logged in as hookloop_app, which cannot create databases.
      process.env.MIGRATION_DATABASE_URL ??
      process.env.DATABASE_URL ??
      "postgresql://postgres@127.0.0.1:5432/postgres",
  );
  adminUrl.pathname = "/postgres";
  process.env.HOOKLOOP_TEST_ADMIN_DATABASE_URL = adminUrl.toString();
  process.env.HOOKLOOP_TEST_REDIS_URL ??= process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  await requireServices({ databaseUrl: adminUrl.toString(), redisUrl: process.env.HOOKLOOP_TEST_REDIS_URL });
}
