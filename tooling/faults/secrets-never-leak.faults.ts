// Signing secrets are decrypted only in memory: they never reach the logs (even at debug level),
// job payloads, Redis, or the database in the clear, whatever Stripe or a stranger sends. Nor do
// contacts' emails reach the logs, where an erasure could not follow them.
import { expect } from "vitest";
import { Redis } from "ioredis";
import { waitUntil } from "@hookloop/e2e/processes";
import { signedStripeRequest, stripeEvent } from "@hookloop/testing";
import { test as faultTest, type Stack, type Tenant } from "./src/hookloop-stack";

const test = faultTest
  .extend("stackOptions", { scope: "file" }, { env: { LOG_LEVEL: "debug" } })
  /** One tenant, its endpoint taking invoice.paid and customer.created; both apps running. */
  .extend("tenant", { scope: "file" }, async ({ stack }) => {
    await stack.startIngest();
    await stack.startWorker();
    const [tenant] = (await stack.createTenants(1, ["invoice.paid=paid", "customer.created=signedUp"])) as [Tenant];
    return tenant;
  });

test.beforeAll(async ({ tenant }) => void tenant);

/** Every value stored under the run's Redis prefix, as text. */
async function redisContents(stack: Stack): Promise<string> {
  const redis = new Redis(stack.environment.redisUrl);
  const values: string[] = [];
  try {
    for (const key of await redis.keys(`${stack.environment.redisPrefix}:*`)) {
      const type = await redis.type(key);
      if (type === "string") values.push((await redis.get(key)) ?? "");
      if (type === "hash") values.push(JSON.stringify(await redis.hgetall(key)));
      if (type === "list") values.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      if (type === "set") values.push(JSON.stringify(await redis.smembers(key)));
      if (type === "zset") values.push(JSON.stringify(await redis.zrange(key, 0, -1)));
      if (type === "stream") values.push(JSON.stringify(await redis.xrange(key, "-", "+")));
    }
  } finally {
    redis.disconnect();
  }
  return values.join("\n");
}

test("no secret or signature reaches logs, Redis or a database column in the clear", async ({ stack, tenant }) => {
  const { url, secret } = tenant.target;
  const paid = stripeEvent("invoice.paid", { customerId: "cus_leak", email: "leak@example.com" });
  const signed = signedStripeRequest(paid, secret);
  const forged = signedStripeRequest(stripeEvent("invoice.paid"), "whsec_not_the_right_secret_0123456789");
  const stale = signedStripeRequest(stripeEvent("customer.created"), secret, { timestampSeconds: 1_600_000_000 });
  const answers = [];
  for (const request of [signed, forged, stale]) answers.push((await fetch(url, { method: "POST", ...request })).status);
  expect(answers).toEqual([200, 400, 400]);
  await waitUntil(
    async () => (await stack.db.delivery.findFirst({ where: { stripeEventId: paid.id } }))?.status === "processed",
    { what: "the event to be applied" },
  );

  const logs = stack.ingest().output() + stack.worker().output();
  expect(logs).toContain("delivery applied");
  expect(logs).not.toContain("leak@example.com");
  const signatures = [signed, forged, stale].map((request) => request.headers["stripe-signature"].split("v1=")[1]!);
  for (const needle of [secret, secret.slice("whsec_".length), ...signatures]) {
    expect(logs).not.toContain(needle);
    expect(await redisContents(stack)).not.toContain(needle);
  }
  const endpoint = await stack.db.endpoint.findUniqueOrThrow({ where: { id: tenant.endpointId } });
  expect(JSON.stringify(endpoint)).not.toContain(secret.slice("whsec_".length));
  expect(endpoint.secretLast4).toBe(secret.slice(-4));
});
