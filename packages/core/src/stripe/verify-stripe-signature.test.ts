import { expect, test } from "vitest";
import { newTestSigningSecret } from "./sample-events";
import { signStripePayload, verifyStripeSignature } from "./verify-stripe-signature";

const secret = newTestSigningSecret();
const rawBody = JSON.stringify({ id: "evt_1", object: "event" });
const now = 1_800_000_000;
const check = (timestampSeconds: number) =>
  verifyStripeSignature({
    rawBody,
    header: signStripePayload({ payload: rawBody, secret, timestampSeconds }),
    secrets: [secret],
    nowSeconds: now,
  });

test("a correctly signed body up to 300 s old or ahead is accepted", () => {
  for (const offset of [-300, -1, 0, 1, 300]) expect(check(now + offset), `offset ${offset}`).toEqual({ ok: true });
});

test("a correctly signed body more than 300 s old is refused as stale", () => {
  expect(check(now - 301)).toEqual({
    ok: false,
    problem: "stale_timestamp",
    message: "The Stripe-Signature timestamp is more than 300 seconds old.",
  });
});

test("a correctly signed body dated more than 300 s ahead is refused, so it cannot be replayed until then", () => {
  for (const ahead of [301, 3_600, 10 * 365 * 86_400]) {
    expect(check(now + ahead), `${ahead} s ahead`).toEqual({
      ok: false,
      problem: "stale_timestamp",
      ahead: true,
      message: "The Stripe-Signature timestamp is more than 300 seconds in the future.",
    });
  }
});

test("a future timestamp with a wrong signature is a mismatch, not a clock problem", () => {
  const header = signStripePayload({ payload: rawBody, secret: newTestSigningSecret(), timestampSeconds: now + 3_600 });
  expect(verifyStripeSignature({ rawBody, header, secrets: [secret], nowSeconds: now })).toMatchObject({
    problem: "no_matching_signature",
  });
});
