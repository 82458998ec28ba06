// Signed events Postgres cannot store are refused as 400 (Stripe would retry a 503 for three days,
// failing the same way), and neither they nor a database error they cause put payload text in
// the log: a real server on its own database, its log captured at debug level.
import { describe, expect } from "vitest";
import { signStripePayload } from "@hookloop/core";
import { stripeEvent } from "@hookloop/testing";
import { test as baseTest } from "@hookloop/testing/fixtures";
import { startIngestHarness } from "./ingest-harness";

const email = "grace.hopper@example.com";

const test = baseTest.extend("logged", { scope: "file" }, async ({}, { onCleanup }) => {
  const lines: string[] = [];
  const ingest = await startIngestHarness({ LOG_LEVEL: "debug" }, { logDestination: { write: (line) => void lines.push(line) } });
  onCleanup(() => ingest.close());
  const post = (rawBody: string) =>
    ingest.server.app.inject({
      method: "POST",
      url: `/webhooks/stripe/${ingest.endpointId}`,
      headers: {
        "content-type": "application/json",
        "stripe-signature": signStripePayload({ payload: rawBody, secret: ingest.secret }),
      },
      payload: rawBody,
    });
  return { ingest, lines, post };
});

/** A real invoice.paid event carrying a customer's email, as JSON text with `extra` fields added. */
const eventText = (extra: string) =>
  JSON.stringify(stripeEvent("invoice.paid", { email, name: "Grace Hopper" })).replace(/}$/, `,${extra}}`);

describe("a signed event Postgres' jsonb refuses", () => {
  test.for<[label: string, extra: string, message: string]>([
    ["a lone \\ud800", `"note":"\\ud800"`, "The body contains an unpaired UTF-16 surrogate escape (such as \\ud800)."],
    ["nesting 20,000 deep", `"deep":${"[".repeat(20_000)}${"]".repeat(20_000)}`, "The body nests deeper than 64 levels."],
    ["a \\u0000", `"note":"nul \\u0000"`, "The body contains a \\u0000 (NUL) character."],
    ["a number numeric cannot hold", `"big":1e200000`, "The body contains a number too large or too precise to store."],
  ])("with %s is 400 invalid_event, records nothing and logs no payload text", async ([, extra, message], { logged }) => {
    const { ingest, lines, post } = logged;
    const response = await post(eventText(extra));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: "invalid_event", message });
    expect(await ingest.db.delivery.count()).toBe(0);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("")).not.toContain(email);
  });
});

describe("a database error about the payload that the checks let through", () => {
  // A trigger refuses what the checks in TypeScript passed, quoting the row in its DETAIL the way
  // Postgres' own errors quote values: a data exception (class 22), or any other error.
  test.beforeAll(async ({ logged }) => {
    await logged.ingest.db.$executeRawUnsafe(`
      CREATE FUNCTION test_refuse_delivery() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.payload ? 'refuse' THEN
          RAISE EXCEPTION 'refused' USING DETAIL = NEW.payload::text,
            ERRCODE = CASE NEW.payload->>'refuse' WHEN 'data' THEN '22023' ELSE 'P0001' END;
        END IF;
        RETURN NEW;
      END $$`);
    await logged.ingest.db.$executeRawUnsafe(
      "CREATE TRIGGER test_refuse_delivery BEFORE INSERT ON delivery FOR EACH ROW EXECUTE FUNCTION test_refuse_delivery()",
    );
  });

  test("as a data exception is 400 invalid_event, logged without payload text", async ({ logged }) => {
    const { lines, post } = logged;
    const response = await post(eventText(`"refuse":"data"`));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: "invalid_event", message: "Postgres could not store this event (SQLSTATE 22023)." });
    expect(lines.join("")).not.toContain(email);
  });

  test("as any other error is 503, logged with its SQLSTATE and without payload text", async ({ logged }) => {
    const { lines, post } = logged;
    const response = await post(eventText(`"refuse":"other"`));
    expect(response.statusCode).toBe(503);
    const failure = lines
      .map((line) => JSON.parse(line) as { msg?: string; error?: unknown })
      .find((entry) => entry.msg === "request failed");
    expect(failure?.error).toMatchObject({ name: "DeliveryNotRecordedError", code: "P0001" });
    expect(lines.join("")).not.toContain(email);
  });
});
