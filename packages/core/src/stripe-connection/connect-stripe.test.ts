// What "Test connection" and endpoint:connect do with a pasted Stripe key, against a local fake of
// Stripe's API over HTTP reached by the official SDK: a good key is tested, stored sealed and shown
// by its last 4; a key Stripe refuses, one of the wrong shape and a secret key are each explained.
import { expect } from "vitest";
import { fakeStripeTestKey, startFakeStripe } from "@hookloop/testing/fake-stripe";
import { test as baseTest } from "@hookloop/testing/fixtures";
import { deleteEndpoint } from "../endpoint/delete-endpoint";
import { InvalidInputError } from "../errors";
import { connectStripe } from "./connect-stripe";
import { getStripeConnection } from "./get-stripe-connection";
import { removeStripeConnection } from "./remove-stripe-connection";
import { openStripeKey } from "./stripe-connection-secret";

const liveSecretKey = "sk_live_51FakeHookloopSecretKey00009999";

const test = baseTest.extend("stripe", { scope: "file" }, async ({}, { onCleanup }) => {
  const fake = await startFakeStripe({ keys: [fakeStripeTestKey, liveSecretKey], account: { name: "Acme Coffee" } });
  onCleanup(() => fake.close());
  return fake;
});

test("a restricted key is tested against Stripe, stored sealed and shown by its last 4", async ({
  newEndpoint,
  appDb,
  box,
  stripe,
}) => {
  const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
  const before = stripe.requests.total;
  const connected = await connectStripe(appDb, {
    workspaceId,
    endpointId,
    box,
    key: ` ${fakeStripeTestKey} `,
    api: { apiBase: stripe.url },
  });

  expect(connected).toMatchObject({
    accountId: "acct_1FakeHookloop",
    accountName: "Acme Coffee",
    mode: "test",
    kind: "rk",
    last4: fakeStripeTestKey.slice(-4),
    warning: null,
  });
  // The account, then one customer, subscription, invoice and product, to find a missing read permission now.
  expect(stripe.requests.total - before).toBe(5);
  const shown = await inWorkspace((tx) => getStripeConnection(tx, { workspaceId, endpointId }));
  expect(shown).toMatchObject({ keyLast4: fakeStripeTestKey.slice(-4), mode: "test", accountId: "acct_1FakeHookloop" });
  expect(JSON.stringify(shown)).not.toContain(fakeStripeTestKey);
  const row = await inWorkspace((tx) => tx.stripeConnection.findUniqueOrThrow({ where: { endpointId } }));
  expect(row.keyCiphertext).not.toContain(fakeStripeTestKey.slice(8));
  expect(openStripeKey(box, row)).toBe(fakeStripeTestKey);
});

test("a key Stripe refuses is explained and nothing is stored", async ({ newEndpoint, appDb, box, stripe }) => {
  const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
  const wrong = "rk_test_51SomeoneElsesKeyThatStripeRefuses";
  const refused = connectStripe(appDb, { workspaceId, endpointId, box, key: wrong, api: { apiBase: stripe.url } });

  await expect(refused).rejects.toBeInstanceOf(InvalidInputError);
  await expect(refused).rejects.toThrow(/Stripe refused this key \(Invalid API Key provided: rk_test_\*+uses\)/);
  expect(stripe.requests.statuses.at(-1)).toBe(401);
  expect(await inWorkspace((tx) => getStripeConnection(tx, { workspaceId, endpointId }))).toBeNull();
});

test("a pasted signing secret or publishable key is refused before Stripe is asked", async ({
  newEndpoint,
  appDb,
  box,
  stripe,
}) => {
  const { workspaceId, endpointId } = await newEndpoint();
  const before = stripe.requests.total;
  const connect = (key: string) => connectStripe(appDb, { workspaceId, endpointId, box, key, api: { apiBase: stripe.url } });
  await expect(connect("whsec_abcdefghijklmnopqrstuv")).rejects.toThrow(/webhook signing secret/);
  await expect(connect("pk_test_51AbCdEfGhIjKlMnOp")).rejects.toThrow(/publishable key/);
  expect(stripe.requests.total).toBe(before);
});

test("a secret key works with a warning naming the read permissions of a restricted key; a new key replaces it, and it can be removed", async ({
  newEndpoint,
  appDb,
  box,
  stripe,
}) => {
  const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
  const connected = await connectStripe(appDb, {
    workspaceId,
    endpointId,
    box,
    key: liveSecretKey,
    api: { apiBase: stripe.url },
  });
  expect(connected).toMatchObject({ kind: "sk", mode: "live", last4: "9999" });
  expect(connected.warning).toMatch(/prefer a restricted key with Read access to Customers, Subscriptions, Invoices, Products/);

  await connectStripe(appDb, { workspaceId, endpointId, box, key: fakeStripeTestKey, api: { apiBase: stripe.url } });
  expect(await inWorkspace((tx) => getStripeConnection(tx, { workspaceId, endpointId }))).toMatchObject({
    keyLast4: fakeStripeTestKey.slice(-4),
    keyKind: "rk",
    mode: "test",
  });

  await inWorkspace((tx) => removeStripeConnection(tx, { workspaceId, endpointId }));
  expect(await inWorkspace((tx) => getStripeConnection(tx, { workspaceId, endpointId }))).toBeNull();
});

test("another workspace's endpoint is not found, and its connection not read", async ({ newEndpoint, appDb, box, stripe }) => {
  const mine = await newEndpoint();
  const theirs = await newEndpoint();
  await connectStripe(appDb, { ...theirs, box, key: fakeStripeTestKey, api: { apiBase: stripe.url } });
  await expect(
    connectStripe(appDb, {
      workspaceId: mine.workspaceId,
      endpointId: theirs.endpointId,
      box,
      key: fakeStripeTestKey,
      api: { apiBase: stripe.url },
    }),
  ).rejects.toThrow(/endpoint not found/);
  expect(
    await mine.inWorkspace((tx) => getStripeConnection(tx, { workspaceId: mine.workspaceId, endpointId: theirs.endpointId })),
  ).toBeNull();
});

test("deleting the endpoint forgets its Stripe key, and a deleted endpoint cannot be connected again", async ({
  newEndpoint,
  appDb,
  box,
  stripe,
}) => {
  const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
  await connectStripe(appDb, { workspaceId, endpointId, box, key: fakeStripeTestKey, api: { apiBase: stripe.url } });
  await inWorkspace((tx) => deleteEndpoint(tx, { workspaceId, endpointId }));
  expect(await inWorkspace((tx) => tx.stripeConnection.count({ where: { endpointId } }))).toBe(0);
  await expect(
    connectStripe(appDb, { workspaceId, endpointId, box, key: fakeStripeTestKey, api: { apiBase: stripe.url } }),
  ).rejects.toThrow(/endpoint not found/);
});
