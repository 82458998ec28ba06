// Postgres away: the API answers 503 in its one error shape, and what it logs names neither the
// key nor anything Postgres said about the request.
import { Writable } from "node:stream";
import { createDb } from "@hookloop/db/client";
import { pino } from "pino";
import { expect, test } from "vitest";
import { buildApiApp } from "../src/app";

test("with Postgres unreachable a request is 503 without details, and the key stays out of the log", async () => {
  const lines: string[] = [];
  const logger = pino(
    { redact: ["req.headers.authorization"] },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    }),
  );
  // Nothing listens on port 1.
  const db = createDb({ connectionString: "postgresql://hookloop_app@127.0.0.1:1/hookloop", max: 1, queryTimeoutMs: 1_000 });
  const app = buildApiApp(
    {
      db,
      rateLimit: { perMinute: 10, consume: async () => ({ limited: false, remaining: 9, msBeforeReset: 60_000 }) },
      readiness: async () => ({ postgres: "unavailable" }),
    },
    { logger },
  );
  const key = "hl_live_ThisKeyMustNeverBeLoggedAnywhere0123456789abc";
  try {
    const answer = await app.inject({ url: "/v1/contacts", headers: { authorization: `Bearer ${key}` } });
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toEqual({ error: { type: "unavailable", message: expect.any(String) } });
    const logged = lines.join("");
    expect(logged).toContain("request failed");
    expect(logged).not.toContain("ThisKeyMustNeverBeLogged");
    expect(answer.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|at .*\.(ts|js):\d+/);
  } finally {
    await app.close();
    await db.$disconnect();
  }
});
