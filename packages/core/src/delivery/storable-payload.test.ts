// The check ingest makes before recording, held against Postgres itself: for each body, it finds
// a reason exactly when jsonb refuses the body.
import { Prisma, type Db } from "@hookloop/db/client";
import { expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { MAX_PAYLOAD_DEPTH, unstorablePayloadReason } from "./storable-payload";

const nested = (depth: number) => `{"data":${"[".repeat(depth - 1)}1${"]".repeat(depth - 1)}}`;
const email = `"email":"grace@example.com"`;

const refused: Array<[string, string]> = [
  ["a lone high surrogate", `{${email},"name":"\\ud800"}`],
  ["a lone low surrogate", `{"name":"\\udc00x"}`],
  ["a high surrogate followed by another escape", `{"name":"\\ud800\\u0041"}`],
  ["a high surrogate at the end of a key", `{"\\uD83D":1}`],
  ["a NUL escape", `{"name":"a\\u0000b"}`],
  ["nesting 20,000 deep", nested(20_000)],
  ["a number with too many digits before the point", `{"n":1e131072}`],
  ["a number with too many digits after the point", `{"n":1.5e-16383}`],
  ["zero with too many decimals", `{"n":0e-16384}`],
  ["an absurd exponent", `{"n":1e99999999999999999999}`],
];

const accepted: Array<[string, string]> = [
  ["a surrogate pair", `{${email},"name":"\\ud83d\\ude00 \\uD83D\\uDE00"}`],
  ["an escaped backslash before u0000", `{"path":"C:\\\\u0000"}`],
  ["escaped quotes and brackets in strings", `{"a":"\\"[[[{{{\\\\","b":[]}`],
  ["the deepest nesting allowed", nested(MAX_PAYLOAD_DEPTH)],
  ["the largest number numeric holds", `{"n":9.9e131071}`],
  ["the most decimals numeric holds", `{"n":1.5e-16382,"m":0e1000000,"k":-0.0}`],
];

/** Whether jsonb takes the body, in a statement of its own. */
const storedByPostgres = (db: Db, body: string) =>
  db.$queryRaw(Prisma.sql`SELECT ${body}::jsonb IS NOT NULL AS ok`).then(
    () => true,
    () => false,
  );

test.for(refused)("%s is refused, as Postgres refuses it", async ([, body], { db }) => {
  expect(unstorablePayloadReason(body)).toEqual(expect.any(String));
  expect(unstorablePayloadReason(body)).not.toContain("grace");
  expect(await storedByPostgres(db, body)).toBe(false);
});

test.for(accepted)("%s is accepted, as Postgres accepts it", async ([, body], { db }) => {
  expect(unstorablePayloadReason(body)).toBeNull();
  expect(await storedByPostgres(db, body)).toBe(true);
});

test("nesting one level past the limit is refused, though Postgres would take it: Stripe never nests so deep", () => {
  expect(unstorablePayloadReason(nested(MAX_PAYLOAD_DEPTH + 1))).toBe("The body nests deeper than 64 levels.");
});
