// Made-up keys from one address: past the limit they are refused before any lookup.
import { countingQueries } from "@hookloop/testing";
import { test } from "@hookloop/testing/fixtures";
import { expect } from "vitest";
import { buildApiApp } from "../src/app";

test("an address past its limit of refused keys gets 429 with Retry-After, and its keys are no longer looked up", async ({
  appDb,
}) => {
  const { client: db, reads } = countingQueries(appDb);
  const app = buildApiApp({
    db,
    refusalsPerMinute: 3,
    rateLimit: { perMinute: 100, consume: async () => ({ limited: false, remaining: 99, msBeforeReset: 60_000 }) },
    readiness: async () => ({}),
  });
  const guess = (key: string) => app.inject({ url: "/v1/contacts", headers: { authorization: `Bearer hl_live_${key}` } });
  try {
    const statuses = [];
    for (const key of ["a", "b", "c"]) statuses.push((await guess(key)).statusCode);
    expect(statuses).toEqual([401, 401, 401]);
    expect(reads.count).toBe(3);

    const refused = await guess("d");
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ error: { type: "rate_limited", message: expect.any(String) } });
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(reads.count).toBe(3);
    // Another address is not held back.
    const elsewhere = await app.inject({
      url: "/v1/contacts",
      remoteAddress: "192.0.2.7",
      headers: { authorization: "Bearer hl_live_e" },
    });
    expect(elsewhere.statusCode).toBe(401);
  } finally {
    await app.close();
  }
});
