// `npm run bench`: Hookloop's ingest and worker against baselines on this machine, each pair
// interleaved A B A B …, reported as median/min/max and as median ratios against the targets.
// `--smoke` runs the same harness for a few seconds (bench/bench.test.ts keeps it from rotting).
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import {
  createDestination,
  createEndpoint,
  createWorkspace,
  stripeEvent,
  newTestSigningSecret,
  withWorkspace,
} from "@hookloop/core";
import { createDb } from "@hookloop/db/client";
import { createMigratedDatabase, dropDatabase, serviceUrl } from "@hookloop/db/testing";
import { SecretBox, parseKeyring } from "@hookloop/secrets";
import { renderChart } from "./chart";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const smoke = process.argv.includes("--smoke") || process.env.BENCH_SMOKE === "1";
// `--only=ingest,worker` (any of rig, ingest, worker, e2e, destinations) runs just those pairs, for a quick look
// while tuning; results go to quick.* and never replace latest.*.
const onlyArg = process.argv.find((arg) => arg.startsWith("--only="));
const only = onlyArg ? new Set(onlyArg.slice("--only=".length).split(",")) : null;
const runs = (pair: "rig" | "ingest" | "worker" | "e2e" | "destinations") => !only || only.has(pair);
const outDir = process.env.BENCH_OUT_DIR ?? path.join(root, "bench/results");

const config = smoke
  ? {
      rounds: 2,
      seconds: 1,
      connections: 32,
      workerJobs: { hookloop: 60, sql: 200, noop: 600 },
      messages: { oneDestination: 30, manyDestinations: 100 },
      e2eSeconds: 3,
      concurrency: 8,
    }
  : {
      rounds: 5,
      seconds: 4,
      connections: 64,
      workerJobs: { hookloop: 600, sql: 1_500, noop: 3_000 },
      messages: { oneDestination: 300, manyDestinations: 2_000 },
      e2eSeconds: 60,
      concurrency: 8,
    };
/** Pair 6a spreads its messages over this many destinations (the worker sends at most 4 per destination at once). */
const manyDestinations = 8;

const redisUrl = process.env.HOOKLOOP_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const runId = randomBytes(4).toString("hex");
const prefixBase = `hookloop-bench-${runId}`;
const children = new Set<ChildProcess>();
const log = (...args: unknown[]) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);

// ---------- statistics ----------
type Figure = { median: number; min: number; max: number; samples: number[] };
const figure = (samples: number[]): Figure => {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, samples };
};

// ---------- processes ----------
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

function start(script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "silent", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-4_000)));
  child.on("exit", (code) => {
    children.delete(child);
    if (code && code !== 0 && !stopping) log(`${script} exited ${code}: ${stderr}`);
  });
  children.add(child);
  return child;
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

let stopping = false;
async function stopAll() {
  stopping = true;
  await Promise.all([...children].map(stop));
}

async function waitForHttp(url: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await fetch(url, { method: "GET" });
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`${url} did not come up`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const clockTicks = 100; // Linux USER_HZ

/** CPU time (user + system) of a process in ms, from /proc. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1_000) / clockTicks;
}
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

// ---------- load ----------
/** Realistic signed Stripe invoices of 1–6 KB, each with its own event id, customer and email. */
function eventFactory(secret: string) {
  const templates = [0, 2, 4, 6, 7].map((lineItems) =>
    JSON.stringify(
      stripeEvent("invoice.paid", {
        id: "evt_PLACEHOLDERPLACEHOLDER",
        customerId: "cus_PLACEHOLDERPLACEHOLDER",
        email: "PLACEHOLDERPLACEHOLDER@example.com",
        lineItems,
        created: Math.floor(Date.now() / 1_000),
      }),
      null,
      2,
    ),
  );
  let counter = 0;
  return {
    sizes: templates.map((template) => template.length),
    next() {
      const token = `${runId}${(counter++).toString(36).padStart(12, "0")}`;
      const body = templates[counter % templates.length]!.replaceAll("PLACEHOLDERPLACEHOLDER", token);
      const timestamp = Math.floor(Date.now() / 1_000);
      const signature = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
      return { body, token, signature: `t=${timestamp},v1=${signature}` };
    },
  };
}

type LoadResult = { rps: number; p50: number; p90: number; p99: number; p999: number; errors: number; completed: number };

async function load(options: {
  url: string;
  post?: ReturnType<typeof eventFactory>;
  seconds: number;
  rate?: number;
  connections?: number;
}): Promise<LoadResult> {
  const { post } = options;
  const result = await autocannon({
    url: options.url,
    connections: options.connections ?? config.connections,
    duration: options.seconds,
    ...(options.rate ? { overallRate: Math.max(1, Math.round(options.rate)) } : {}),
    requests: [
      post
        ? {
            method: "POST",
            setupRequest: (request: autocannon.Request) => {
              const event = post.next();
              return {
                ...request,
                body: event.body,
                headers: {
                  ...request.headers,
                  "content-type": "application/json; charset=utf-8",
                  "stripe-signature": event.signature,
                  "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                },
              };
            },
          }
        : { method: "GET" as const },
    ],
  });
  const latency = result.latency;
  const ok = result["2xx"];
  return {
    rps: ok / options.seconds,
    p50: latency.p50,
    p90: latency.p90,
    p99: latency.p99,
    p999: latency.p99_9,
    errors: result.errors + result.timeouts + result.non2xx,
    completed: ok,
  };
}

// ---------- main ----------
async function main() {
  const startedAt = Date.now();
  const dbName = `hookloop_bench_${runId}`;
  log(`mode ${smoke ? "smoke" : "full"}, database ${dbName}, redis prefix ${prefixBase}`);
  const databaseUrl = await createMigratedDatabase(dbName);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const admin = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const encryptionKeys = `bench:${randomBytes(32).toString("base64")}`;
  cleanUp = async () => {
    cleanUp = async () => {};
    await stopAll();
    await admin.end();
    await deleteKeys(redis, `${prefixBase}*`);
    redis.disconnect();
    await dropDatabase(dbName);
  };
  try {
    // A real workspace and endpoint, made the way the dashboard makes them.
    const db = createDb({ connectionString: databaseUrl, max: 2 });
    const box = new SecretBox(parseKeyring(encryptionKeys));
    const workspace = await createWorkspace(db, { name: "Bench" });
    const secret = newTestSigningSecret();
    const endpoint = await withWorkspace(db, workspace.id, (tx) =>
      createEndpoint(tx, {
        box,
        workspaceId: workspace.id,
        name: "Stripe live",
        secret,
        enable: [{ eventType: "invoice.paid", triggerName: "successfulPayment" }],
      }),
    );
    await db.$disconnect();
    const events = eventFactory(secret);
    log(`event sizes ${events.sizes.join(", ")} bytes`);
    const appEnv = (prefix: string) => ({
      // Logged in as the services log in; the bench's own set-up and reads use the owner's URL.
      DATABASE_URL: serviceUrl(databaseUrl),
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      ENCRYPTION_KEYS: encryptionKeys,
    });
    const webhookPath = `/webhooks/stripe/${endpoint.id}`;

    // HTTP servers stay up for the whole run; an idle one costs nothing.
    const servers: Record<string, { url: string; child: ChildProcess }> = {};
    for (const name of ["node-http", "fastify-hello", "fastify-echo", "stripped", "ingest"] as const) {
      const port = await freePort();
      const prefix = `${prefixBase}-${name}`;
      const child =
        name === "ingest"
          ? start("apps/ingest/src/main.ts", { ...appEnv(prefix), PORT: String(port), HOST: "127.0.0.1" })
          : start("bench/src/baseline-server.ts", {
              BASELINE: name,
              PORT: String(port),
              REDIS_URL: redisUrl,
              REDIS_PREFIX: prefix,
              BENCH_SECRET: secret,
              BENCH_WORKSPACE_ID: workspace.id,
            });
      const base = `http://127.0.0.1:${port}`;
      await waitForHttp(base);
      servers[name] = { url: name === "node-http" || name === "fastify-hello" ? `${base}/` : `${base}${webhookPath}`, child };
    }
    const warm = async (name: string) =>
      load({
        url: servers[name]!.url,
        post: name.startsWith("fastify-h") || name === "node-http" ? undefined : events,
        seconds: 1,
      });
    for (const name of Object.keys(servers)) await warm(name);

    const raw: Record<string, number[]> = {};
    const push = (key: string, value: number) => (raw[key] ??= []).push(value);

    // 1. Rig check.
    log("pair 1: fastify hello vs node:http hello");
    for (let round = 0; round < (runs("rig") ? config.rounds : 0); round++) {
      push("nodeHttp.rps", (await load({ url: servers["node-http"]!.url, seconds: config.seconds })).rps);
      push("fastifyHello.rps", (await load({ url: servers["fastify-hello"]!.url, seconds: config.seconds })).rps);
      push("ratio.rig", raw["fastifyHello.rps"]!.at(-1)! / raw["nodeHttp.rps"]!.at(-1)!);
    }

    // 2. Ingest against the echo route and the stripped route, interleaved echo, stripped, ingest.
    log("pair 2: ingest vs echo route vs stripped route");
    const ingestPid = servers.ingest!.child.pid!;
    for (let round = 0; round < (runs("ingest") || runs("e2e") ? config.rounds : 0); round++) {
      const echo = await load({ url: servers["fastify-echo"]!.url, post: events, seconds: config.seconds });
      const stripped = await load({ url: servers.stripped!.url, post: events, seconds: config.seconds });
      const cpuBefore = cpuMs(ingestPid);
      const ingest = await load({ url: servers.ingest!.url, post: events, seconds: config.seconds });
      const cpu = cpuMs(ingestPid) - cpuBefore;
      push("echo.rps", echo.rps);
      push("stripped.rps", stripped.rps);
      push("ingest.rps", ingest.rps);
      push("ingest.errors", ingest.errors);
      push("ingest.p99AtMax", ingest.p99);
      push("ingest.cpuMsPer1000", (cpu * 1_000) / Math.max(1, ingest.completed));
      push("ratio.ingestVsEcho", ingest.rps / echo.rps);
      push("ratio.ingestVsStripped", ingest.rps / stripped.rps);
    }
    const echoMax = raw["echo.rps"] ? figure(raw["echo.rps"]).median : 0;
    const ingestMax = raw["ingest.rps"] ? figure(raw["ingest.rps"]).median : 0;

    // 3. Latency at the same offered load, half of the echo route's max; p99.9 at 90 % of ingest's max.
    const sameRate = echoMax / 2;
    log(`pair 3: p99 at ${Math.round(sameRate)}/s offered to both; ingest p99.9 at ${Math.round(0.9 * ingestMax)}/s`);
    for (let round = 0; round < (runs("ingest") ? config.rounds : 0); round++) {
      const echo = await load({ url: servers["fastify-echo"]!.url, post: events, seconds: config.seconds, rate: sameRate });
      const ingest = await load({ url: servers.ingest!.url, post: events, seconds: config.seconds, rate: sameRate });
      const near = await load({ url: servers.ingest!.url, post: events, seconds: config.seconds, rate: 0.9 * ingestMax });
      push("echo.p99AtHalfEcho", echo.p99);
      push("ingest.p99AtHalfEcho", ingest.p99);
      push("ingest.achievedAtHalfEcho", ingest.rps);
      push("ingest.p50At90", near.p50);
      push("ingest.p99At90", near.p99);
      push("ingest.p999At90", near.p999);
      push("ratio.p99", ingest.p99 / Math.max(echo.p99, 0.001));
    }
    push("ingest.rssMb", rssMb(ingestPid));
    await stop(servers.ingest!.child);
    for (const name of ["node-http", "fastify-hello", "fastify-echo", "stripped"]) await stop(servers[name]!.child);
    // The deliveries ingest recorded above were only there to be answered: their outbox rows would
    // have the workers' relay queue them all again, into the worker and end-to-end measurements.
    await admin.query("DELETE FROM delivery_outbox");

    // 4. Workers: each round fills its own queue with the same number of jobs and times the drain.
    log("pair 4: worker vs do-nothing BullMQ worker vs raw SQL through pg");
    const worker = async (kind: "hookloop" | "noop" | "sql", round: number) => {
      const prefix = `${prefixBase}-w-${kind}-${round}`;
      const count = config.workerJobs[kind];
      const jobs = await prefill(admin, redis, prefix, workspace.id, endpoint.id, events, kind === "noop" ? 0 : count, count);
      const env = { ...appEnv(prefix), WORKER_CONCURRENCY: String(config.concurrency), WORKER_HEALTH_PORT: "0" };
      const child =
        kind === "hookloop"
          ? start("apps/worker/src/main.ts", env)
          : start("bench/src/baseline-worker.ts", { ...env, BASELINE: kind });
      const drained = await timeDrain(redis, prefix, jobs, child.pid!);
      push(`worker.${kind}.rss`, rssMb(child.pid!));
      await stop(child);
      await deleteKeys(redis, `${prefix}:*`);
      return drained;
    };
    for (let round = 0; round < (runs("worker") || runs("e2e") ? config.rounds : 0); round++) {
      const hookloop = await worker("hookloop", round);
      const noop = await worker("noop", round);
      const sql = await worker("sql", round);
      push("worker.rps", hookloop.rps);
      push("worker.cpuMsPer1000", hookloop.cpuMsPer1000);
      push("noopWorker.rps", noop.rps);
      push("sqlWorker.rps", sql.rps);
      push("sqlWorker.cpuMsPer1000", sql.cpuMsPer1000);
      push("ratio.worker", hookloop.rps / Math.min(noop.rps, sql.rps));
    }
    const failed = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM delivery WHERE status = 'failed'");
    const failedCount = failed.rows[0]?.n ?? 0;
    if (failedCount) log(`warning: ${failedCount} deliveries failed`);

    // 5. End to end: offered the combined rate 1/(1/ingest + 1/worker) for the whole window.
    if (runs("e2e")) {
      const workerMax = figure(raw["worker.rps"]!).median;
      const combined = 1 / (1 / ingestMax + 1 / workerMax);
      log(`pair 5: end to end for ${config.e2eSeconds}s at ${Math.round(combined)}/s offered`);
      const e2e = await endToEnd({ combined, appEnv, webhookPath, events, admin, redis });
      for (const [key, value] of Object.entries(e2e)) push(`e2e.${key}`, value);
      push("ratio.e2e", e2e.committedPerSecond / combined);
    }

    // 6. Destinations: messages sent per second to a receiver answering 200 at once, to one destination
    // and spread over several; then the worker applying the same Stripe events for a workspace without
    // a destination and for one with a destination (which it also sends the messages to), interleaved.
    if (runs("destinations")) {
      log(`pair 6: messages to a local receiver; worker without vs with one destination`);
      const receiver = await startReceiver();
      try {
        const destinationBox = new SecretBox(parseKeyring(encryptionKeys));
        const setUpDb = createDb({ connectionString: databaseUrl, max: 2 });
        const destinationsOf = async (workspaceId: string, count: number) =>
          withWorkspace(setUpDb, workspaceId, async (tx) => {
            const ids: string[] = [];
            for (let index = 0; index < count; index++) {
              const destination = await createDestination(tx, {
                box: destinationBox,
                workspaceId,
                name: `Receiver ${index}`,
                url: receiver.url,
                triggers: "all",
                contactChanges: false,
                allowPrivateTargets: true,
              });
              ids.push(destination.id);
            }
            return ids;
          });
        const senders = await createWorkspace(setUpDb, { name: "Bench messages" });
        const senderDestinations = await destinationsOf(senders.id, manyDestinations);
        const withDestination = await createWorkspace(setUpDb, { name: "Bench with a destination" });
        const withEndpoint = await withWorkspace(setUpDb, withDestination.id, (tx) =>
          createEndpoint(tx, {
            box: destinationBox,
            workspaceId: withDestination.id,
            name: "Stripe live",
            secret: newTestSigningSecret(),
            enable: [{ eventType: "invoice.paid", triggerName: "successfulPayment" }],
          }),
        );
        await destinationsOf(withDestination.id, 1);
        await setUpDb.$disconnect();
        const messageEnv = (prefix: string) => ({
          ...appEnv(prefix),
          WORKER_CONCURRENCY: String(config.concurrency),
          WORKER_HEALTH_PORT: "0",
          DESTINATIONS_ALLOW_PRIVATE_TARGETS: "true",
        });

        const sendMessages = async (destinations: string[], count: number, round: number) => {
          const prefix = `${prefixBase}-m-${destinations.length}-${round}`;
          const jobs = await prefillMessages(admin, redis, prefix, senders.id, destinations, count);
          const sent0 = receiver.received;
          const child = start("apps/worker/src/main.ts", messageEnv(prefix));
          // Timed until the last message is received: a job whose message another job's lane sent
          // waits out that lease before it finds the message delivered, long after the send.
          const drained = await timeDrain(redis, prefix, jobs, child.pid!, "messages", () => receiver.received - sent0 >= count);
          await stop(child);
          await deleteKeys(redis, `${prefix}:*`);
          return drained;
        };
        const apply = async (target: { workspaceId: string; endpointId: string }, kind: string, round: number) => {
          const prefix = `${prefixBase}-d-${kind}-${round}`;
          const count = config.workerJobs.hookloop;
          const sent0 = receiver.received;
          const jobs = await prefill(admin, redis, prefix, target.workspaceId, target.endpointId, events, count, count);
          const child = start("apps/worker/src/main.ts", messageEnv(prefix));
          const drained = await timeDrain(redis, prefix, jobs, child.pid!);
          // The CPU the worker spends on an event includes sending its message, which may finish after the apply.
          if (kind === "with") await waitFor(() => receiver.received - sent0 >= count, 120_000, "every message sent");
          const cpuMsPerEvent = (cpuMs(child.pid!) - drained.firstCpu) / drained.jobs;
          await stop(child);
          await deleteKeys(redis, `${prefix}:*`);
          return { ...drained, cpuMsPerEvent };
        };
        for (let round = 0; round < config.rounds; round++) {
          push(
            "messages.oneDestination.rps",
            (await sendMessages(senderDestinations.slice(0, 1), config.messages.oneDestination, round)).rps,
          );
          const many = await sendMessages(senderDestinations, config.messages.manyDestinations, round);
          push(`messages.${manyDestinations}Destinations.rps`, many.rps);
          push(`messages.${manyDestinations}Destinations.cpuMsPer1000`, many.cpuMsPer1000);
          const without = await apply({ workspaceId: workspace.id, endpointId: endpoint.id }, "without", round);
          const withOne = await apply({ workspaceId: withDestination.id, endpointId: withEndpoint.id }, "with", round);
          push("worker.noDestination.rps", without.rps);
          push("worker.oneDestination.rps", withOne.rps);
          push("ratio.workerWithDestination", withOne.rps / without.rps);
          push("worker.destinationCpuMsPerEvent", withOne.cpuMsPerEvent - without.cpuMsPerEvent);
        }
      } finally {
        await receiver.close();
      }
    }

    const figures = Object.fromEntries(Object.entries(raw).map(([key, samples]) => [key, figure(samples)]));
    const targets = [
      { name: "1. Fastify hello ÷ node:http hello", key: "ratio.rig", op: ">=", target: 0.9 },
      { name: "2a. Ingest acks/s ÷ raw-body echo route", key: "ratio.ingestVsEcho", op: ">=", target: 0.5 },
      { name: "2b. Ingest acks/s ÷ verify+parse+queue.add route", key: "ratio.ingestVsStripped", op: ">=", target: 0.85 },
      { name: "3a. Ingest p99 ÷ echo p99 at half echo max", key: "ratio.p99", op: "<=", target: 3 },
      { name: "3b. Ingest p99.9 at 90 % of its max (ms)", key: "ingest.p999At90", op: "<", target: 250 },
      { name: "4. Worker applied/s ÷ min(no-op BullMQ, raw SQL)", key: "ratio.worker", op: ">=", target: 0.7 },
      { name: "5. End-to-end committed/s ÷ 1/(1/ingest+1/worker)", key: "ratio.e2e", op: ">=", target: 0.85 },
      { name: "5b. Queue depth bounded (max depth, 2nd half ÷ 1st half + 1)", key: "e2e.depthGrowth", op: "<=", target: 2 },
      { name: "5c. Redis bytes per completed job (end ÷ mid)", key: "e2e.redisGrowth", op: "<=", target: 1.5 },
    ]
      .filter((t) => figures[t.key])
      .map((t) => {
        const value = figures[t.key]!.median;
        const met = t.op === ">=" ? value >= t.target : t.op === "<=" ? value <= t.target : value < t.target;
        return { ...t, value, met };
      });
    const machine = {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGb: Math.round(os.totalmem() / 1e9),
      node: process.version,
      loadAverageAtEnd: os.loadavg(),
      platform: `${os.type()} ${os.release()}`,
    };
    const report = {
      mode: smoke ? "smoke" : only ? `quick (${[...only].join(", ")})` : "full",
      startedAt: new Date(startedAt).toISOString(),
      durationSeconds: Math.round((Date.now() - startedAt) / 1_000),
      machine,
      config,
      eventSizes: events.sizes,
      figures,
      targets,
    };
    const table = renderTable(report);
    console.log(table);
    mkdirSync(outDir, { recursive: true });
    const stem = smoke ? "smoke" : only ? "quick" : "latest";
    writeFileSync(path.join(outDir, `${stem}.json`), JSON.stringify(report, null, 2) + "\n");
    writeFileSync(path.join(outDir, `${stem}.md`), table + "\n");
    writeFileSync(path.join(outDir, `${stem}.svg`), renderChart(report));
    log(`done in ${report.durationSeconds}s; results in ${outDir}/${stem}.{json,md,svg}`);
  } finally {
    await cleanUp();
  }
}

/** Inserts `rows` deliveries as ingest records them, minus their outbox rows (the relay would queue those again mid-drain), and queues `jobs` jobs. */
async function prefill(
  admin: pg.Pool,
  redis: Redis,
  prefix: string,
  workspaceId: string,
  endpointId: string,
  events: ReturnType<typeof eventFactory>,
  rows: number,
  jobs: number,
): Promise<number> {
  const ids: string[] = [];
  if (rows) {
    const eventIds: string[] = [];
    const payloads: string[] = [];
    for (let i = 0; i < rows; i++) {
      const event = events.next();
      eventIds.push(`evt_${event.token}`);
      payloads.push(event.body);
    }
    const inserted = await admin.query<{ id: string }>(
      `INSERT INTO delivery (workspace_id, endpoint_id, stripe_event_id, type, livemode, stripe_created_at, status, payload)
       SELECT $1, $2, e, 'invoice.paid', false, now(), 'queued', p::jsonb FROM unnest($3::text[], $4::text[]) AS t(e, p)
       RETURNING id`,
      [workspaceId, endpointId, eventIds, payloads],
    );
    ids.push(...inserted.rows.map((row) => row.id));
  } else {
    for (let i = 0; i < jobs; i++) ids.push(randomUUID());
  }
  const queue = new Queue("deliveries", { connection: redis, prefix });
  for (let i = 0; i < ids.length; i += 500) {
    await queue.addBulk(
      ids.slice(i, i + 500).map((id) => ({
        name: "deliveries",
        data: { deliveryId: id, workspaceId },
        opts: { jobId: id, attempts: 8, removeOnComplete: { age: 3_600, count: 1_000 } },
      })),
    );
  }
  await queue.close();
  return ids.length;
}

/** Inserts `count` pending trigger.fired messages, spread over `destinations`, without outbox rows (the relay would queue them again mid-drain), and queues one job each. */
async function prefillMessages(
  admin: pg.Pool,
  redis: Redis,
  prefix: string,
  workspaceId: string,
  destinations: string[],
  count: number,
): Promise<number> {
  const payload = JSON.stringify({
    type: "trigger.fired",
    occurredAt: new Date().toISOString(),
    workspace: { id: workspaceId },
    trigger: { name: "successfulPayment", properties: { amountPaid: 4900, currency: "eur" } },
    stripeEvent: { id: "evt_bench", type: "invoice.paid" },
    contact: { email: "ada@example.com", firstName: "Ada", lastName: "Lovelace", subscribed: true, source: "Stripe" },
  });
  const inserted = await admin.query<{ id: string }>(
    `INSERT INTO message (workspace_id, destination_id, message_id, type, payload)
     SELECT $1, ($2::text[])[1 + g % cardinality($2::text[])], 'msg_' || md5($4 || g), 'trigger.fired', $3::jsonb
     FROM generate_series(1, $5::int) AS g
     RETURNING id`,
    [workspaceId, destinations, payload, prefix, count],
  );
  const queue = new Queue("messages", { connection: redis, prefix });
  const ids = inserted.rows.map((row) => row.id);
  for (let i = 0; i < ids.length; i += 500) {
    await queue.addBulk(
      ids.slice(i, i + 500).map((id) => ({
        name: "messages",
        data: { messageId: id, workspaceId },
        opts: { jobId: `${id}.bench`, attempts: 5, removeOnComplete: true, removeOnFail: true },
      })),
    );
  }
  await queue.close();
  return ids.length;
}

/** A destination's receiver on loopback, in this process: answers 200 at once and counts. */
async function startReceiver() {
  let received = 0;
  const server = createHttpServer((request, response) => {
    request.resume();
    request.on("end", () => {
      received++;
      response.writeHead(200).end();
    });
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    get received() {
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** From the first job done to the last: jobs/s and the worker's CPU per 1,000 jobs over that window. */
async function timeDrain(
  redis: Redis,
  prefix: string,
  jobs: number,
  pid: number,
  queue: "deliveries" | "messages" = "deliveries",
  /** Ends the timing instead of an empty queue. */
  done?: () => boolean,
) {
  const remaining = async () => {
    const [wait, active, delayed, prioritized] = await Promise.all([
      redis.llen(`${prefix}:${queue}:wait`),
      redis.llen(`${prefix}:${queue}:active`),
      redis.zcard(`${prefix}:${queue}:delayed`),
      redis.zcard(`${prefix}:${queue}:prioritized`),
    ]);
    return wait + active + delayed + prioritized;
  };
  const deadline = Date.now() + 300_000;
  let first: { at: number; left: number; cpu: number } | undefined;
  while (Date.now() < deadline) {
    const left = await remaining();
    if (left < jobs) {
      first = { at: performance.now(), left, cpu: cpuMs(pid) };
      break;
    }
    await sleep(10);
  }
  if (!first) throw new Error("worker never started");
  while (Date.now() < deadline) {
    if (done ? done() : (await remaining()) === 0) break;
    await sleep(10);
  }
  const seconds = (performance.now() - first.at) / 1_000;
  const cpu = cpuMs(pid) - first.cpu;
  return { rps: first.left / seconds, cpuMsPer1000: (cpu * 1_000) / first.left, firstCpu: first.cpu, jobs: first.left };
}

async function endToEnd(options: {
  combined: number;
  appEnv: (prefix: string) => Record<string, string>;
  webhookPath: string;
  events: ReturnType<typeof eventFactory>;
  admin: pg.Pool;
  redis: Redis;
}) {
  const { redis, admin } = options;
  const prefix = `${prefixBase}-e2e`;
  const port = await freePort();
  const ingest = start("apps/ingest/src/main.ts", { ...options.appEnv(prefix), PORT: String(port), HOST: "127.0.0.1" });
  const worker = start("apps/worker/src/main.ts", {
    ...options.appEnv(prefix),
    WORKER_CONCURRENCY: String(config.concurrency),
    WORKER_HEALTH_PORT: "0",
  });
  await waitForHttp(`http://127.0.0.1:${port}/`);
  const url = `http://127.0.0.1:${port}${options.webhookPath}`;
  const processed = async () =>
    (await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM delivery WHERE status = 'processed'")).rows[0]!.n;
  const depth = async () => (await redis.llen(`${prefix}:deliveries:wait`)) + (await redis.llen(`${prefix}:deliveries:active`));
  const redisBytes = async () => {
    let total = 0;
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1_000);
      for (const key of keys) total += Number((await redis.memory("USAGE", key)) ?? 0);
      cursor = next;
    } while (cursor !== "0");
    return total;
  };
  const ingestCpu0 = cpuMs(ingest.pid!);
  const workerCpu0 = cpuMs(worker.pid!);
  const processed0 = await processed();
  const depths: number[] = [];
  let sampling = true;
  let midBytes = 0;
  let midCompleted = 0;
  const half = config.e2eSeconds / 2;
  const sampler = (async () => {
    const t0 = Date.now();
    let tookMid = false;
    while (sampling) {
      depths.push(await depth());
      if (!tookMid && Date.now() - t0 >= half * 1_000) {
        tookMid = true;
        midCompleted = (await processed()) - processed0;
        midBytes = await redisBytes();
      }
      await sleep(1_000);
    }
  })();
  const t0 = performance.now();
  const result = await load({ url, post: options.events, seconds: config.e2eSeconds, rate: options.combined });
  const processedAtEnd = (await processed()) - processed0;
  const seconds = (performance.now() - t0) / 1_000;
  sampling = false;
  await sampler;
  const endBytes = await redisBytes();
  const ingestCpu = cpuMs(ingest.pid!) - ingestCpu0;
  const workerCpu = cpuMs(worker.pid!) - workerCpu0;
  const firstHalf = depths.slice(0, Math.ceil(depths.length / 2));
  const secondHalf = depths.slice(Math.ceil(depths.length / 2));
  const out = {
    offeredPerSecond: options.combined,
    acknowledgedPerSecond: result.rps,
    committedPerSecond: processedAtEnd / seconds,
    errors: result.errors,
    p99: result.p99,
    maxQueueDepth: Math.max(0, ...depths),
    depthGrowth: (Math.max(0, ...secondHalf) + 1) / (Math.max(0, ...firstHalf) + 1),
    redisBytesPerCompletedJob: endBytes / Math.max(1, processedAtEnd),
    redisBytesTotalEnd: endBytes,
    redisGrowth: endBytes / Math.max(1, midBytes),
    midCompleted,
    ingestCpuMsPer1000: (ingestCpu * 1_000) / Math.max(1, result.completed),
    workerCpuMsPer1000: (workerCpu * 1_000) / Math.max(1, processedAtEnd),
    ingestRssMb: rssMb(ingest.pid!),
    workerRssMb: rssMb(worker.pid!),
  };
  await stop(ingest);
  await stop(worker);
  return out;
}

async function deleteKeys(redis: Redis, pattern: string) {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1_000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
}

type Report = {
  mode: string;
  startedAt: string;
  durationSeconds: number;
  machine: { cpus: number; node: string } & Record<string, unknown>;
  figures: Record<string, Figure>;
  targets: Array<{ name: string; key: string; op: string; target: number; value: number; met: boolean }>;
};

const fmt = (value: number) =>
  Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);

export function renderTable(report: Report): string {
  const lines = [
    `Hookloop bench (${report.mode}), ${report.startedAt}, ${report.durationSeconds}s, ${report.machine.cpus} cpus, Node ${report.machine.node}`,
    "",
    "| figure | median | min | max |",
    "|---|---:|---:|---:|",
    ...Object.entries(report.figures).map(([key, f]) => `| ${key} | ${fmt(f.median)} | ${fmt(f.min)} | ${fmt(f.max)} |`),
    "",
    "| target | median | goal | met |",
    "|---|---:|---:|:---:|",
    ...report.targets.map((t) => `| ${t.name} | ${fmt(t.value)} | ${t.op} ${t.target} | ${t.met ? "yes" : "**no**"} |`),
  ];
  return lines.join("\n");
}

let cleanUp: () => Promise<void> = stopAll;
const interrupt = () => {
  void cleanUp().finally(() => process.exit(130));
};
process.once("SIGINT", interrupt);
process.once("SIGTERM", interrupt);

await main().catch(async (error) => {
  console.error(error);
  await stopAll();
  process.exitCode = 1;
});
