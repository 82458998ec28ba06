import { expect, test } from "vitest";
import { modeMismatch, stripeApiKeySchema } from "./stripe-api-key";

const message = (value: string) => stripeApiKeySchema.safeParse(value).error?.issues[0]?.message;

test("a restricted key is read for its mode and last 4, with no warning", () => {
  expect(stripeApiKeySchema.parse("  rk_test_51AbCdEfGhIjKlMn1234 ")).toEqual({
    key: "rk_test_51AbCdEfGhIjKlMn1234",
    kind: "rk",
    mode: "test",
    last4: "1234",
    warning: null,
  });
  expect(stripeApiKeySchema.parse("rk_live_51AbCdEfGhIjKlMn9876").mode).toBe("live");
});

test("a secret key is accepted with a warning naming the read permissions a restricted key needs", () => {
  const parsed = stripeApiKeySchema.parse("sk_live_51AbCdEfGhIjKlMn0000");
  expect(parsed.kind).toBe("sk");
  expect(parsed.warning).toMatch(/prefer a restricted key with Read access to Customers, Subscriptions, Invoices, Products/);
});

test("the usual slips are refused with what to paste instead", () => {
  expect(message("")).toMatch(/starts with rk_test_ or rk_live_/);
  expect(message("whsec_abcdefghijklmnop")).toMatch(/webhook signing secret/);
  expect(message("pk_test_51AbCdEfGhIjKlMn")).toMatch(/publishable key/);
  expect(message("rk_test_51AbCd EfGhIjKlMn")).toMatch(/spaces/);
  expect(message("rk_prod_51AbCdEfGhIjKlMn")).toMatch(/starts with rk_test_ or rk_live_/);
});

test("a key of the other mode than the endpoint's is refused saying so; an endpoint of no mode takes both", () => {
  expect(modeMismatch("test", "live")).toMatch(/test mode key, but this endpoint receives live mode events/);
  expect(modeMismatch("live", "live")).toBeNull();
  expect(modeMismatch("live", null)).toBeNull();
});
