// Connecting and removing an endpoint's Stripe key is in the audit log, by the key's last 4 only.
import { expect } from "vitest";
import { cliActor } from "@hookloop/domain";
import { fakeStripeTestKey, startFakeStripe } from "@hookloop/testing/fake-stripe";
import { test as baseTest } from "@hookloop/testing/fixtures";
import { connectStripe } from "../stripe-connection/connect-stripe";
import { removeStripeConnection } from "../stripe-connection/remove-stripe-connection";
import { listAuditEntries } from "./list-audit-entries";

const test = baseTest.extend("stripe", { scope: "file" }, async ({}, { onCleanup }) => {
  const fake = await startFakeStripe({ keys: [fakeStripeTestKey], account: { name: "Acme Coffee" } });
  onCleanup(() => fake.close());
  return fake;
});

test("a Stripe key connected and removed is recorded with who did it, and the key is in no entry", async ({
  newEndpoint,
  appDb,
  box,
  db,
  stripe,
}) => {
  const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
  await connectStripe(appDb, {
    workspaceId,
    endpointId,
    box,
    key: fakeStripeTestKey,
    api: { apiBase: stripe.url },
    actor: cliActor,
  });
  await inWorkspace((tx) =>
    removeStripeConnection(tx, {
      workspaceId,
      endpointId,
      actor: { kind: "user", userId: "user_1", email: "maya@shop.example" },
    }),
  );
  const { rows } = await inWorkspace((tx) => listAuditEntries(tx, { workspaceId, kind: "endpoint", limit: 10 }));
  expect(rows.map((row) => [row.action, row.actorLabel, row.targetLabel])).toEqual([
    ["endpoint.stripe_disconnected", "maya@shop.example", "Stripe live"],
    ["endpoint.stripe_connected", "CLI", "Stripe live"],
    ["endpoint.created", "Hookloop", "Stripe live"],
  ]);
  expect(rows[1]!.details).toMatchObject({ keyLast4: fakeStripeTestKey.slice(-4), mode: "test" });
  expect(JSON.stringify(await db.auditEntry.findMany({ where: { workspaceId } }))).not.toContain(fakeStripeTestKey);
});
