// The fake answers as Stripe's API reference says, read through the official SDK: list pages, the
// default status filter, expansion and its depth limit, the error object, injected 429s and 500s.
import Stripe from "stripe";
import { afterAll, beforeAll, expect, test } from "vitest";
import { fakeStripeTestKey, startFakeStripe, type FakeStripe } from "./fake-stripe";

let fake: FakeStripe;
let stripe: Stripe;
beforeAll(async () => {
  fake = await startFakeStripe({ customers: 25 });
  stripe = new Stripe(fakeStripeTestKey, { host: "127.0.0.1", port: fake.port, protocol: "http", maxNetworkRetries: 0 });
});
afterAll(() => fake.close());

test("customers page newest first with limit, starting_after and has_more, as a list object", async () => {
  const first = await stripe.customers.list({ limit: 10 });
  expect(first).toMatchObject({ object: "list", url: "/v1/customers", has_more: true });
  expect(first.data.map((customer) => customer.id).slice(0, 2)).toEqual(["cus_fake000024", "cus_fake000023"]);
  const last = await stripe.customers.list({ limit: 10, starting_after: "cus_fake000005" });
  expect(last.has_more).toBe(false);
  expect(last.data.map((customer) => customer.id)).toEqual([4, 3, 2, 1, 0].map((n) => `cus_fake00000${n}`));
  const all = await stripe.customers.list({ limit: 7 }).autoPagingToArray({ limit: 100 });
  expect(all).toHaveLength(25);
});

test("subscriptions leave canceled ones out unless status=all, and expand their customer", async () => {
  // Customer 3's subscription is canceled.
  expect((await stripe.subscriptions.list({ customer: "cus_fake000003" })).data).toEqual([]);
  const all = await stripe.subscriptions.list({ customer: "cus_fake000003", status: "all", expand: ["data.customer"] });
  expect(all.data[0]).toMatchObject({ status: "canceled", customer: { id: "cus_fake000003", email: "customer3@example.com" } });
  await expect(
    stripe.subscriptions.list({ customer: "cus_fake000003", expand: ["data.items.data.price.product"] }),
  ).rejects.toThrow("You cannot expand more than 4 levels of a property");
});

test("an unknown key is 401 with Stripe's error object; a page after a missing object is 400 resource_missing", async () => {
  const stranger = new Stripe("rk_test_51NobodyKnowsThisKey000", { host: "127.0.0.1", port: fake.port, protocol: "http" });
  await expect(stranger.customers.list()).rejects.toMatchObject({
    type: "StripeAuthenticationError",
    statusCode: 401,
    message: expect.stringMatching(/^Invalid API Key provided: rk_test_\*+y000$/),
  });
  await expect(stripe.customers.list({ starting_after: "cus_gone" })).rejects.toMatchObject({
    statusCode: 400,
    code: "resource_missing",
    param: "starting_after",
  });
});

test("an injected 429 carries Retry-After, and an injected 500 Stripe's api_error", async () => {
  fake.inject({ status: 429, count: 1, retryAfterSeconds: 2 });
  await expect(stripe.accounts.retrieve(null)).rejects.toMatchObject({
    statusCode: 429,
    code: "rate_limit",
    headers: expect.objectContaining({ "retry-after": "2" }),
  });
  fake.inject({ status: 500, count: 1, path: "/v1/invoices" });
  await expect(stripe.invoices.list({ customer: "cus_fake000001", status: "paid" })).rejects.toMatchObject({
    statusCode: 500,
    type: "StripeAPIError",
  });
  const invoices = await stripe.invoices.list({ customer: "cus_fake000001", status: "paid" });
  expect(invoices.data.map((invoice) => invoice.amount_paid)).toEqual([501]);
  expect(fake.requests.byRoute.get("GET /v1/invoices")).toBe(2);
});
