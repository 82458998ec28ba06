import type { Db } from "@hookloop/db/client";
import type { SecretBox } from "@hookloop/secrets";
import { recordAudit, type AuditActor } from "../audit/record-audit";
import { NotFoundError } from "../errors";
import type { StripeApiSettings } from "../stripe/stripe-api";
import { withWorkspace } from "../workspace/with-workspace";
import { stripeKeyAssociatedData } from "./stripe-connection-secret";
import { testStripeKey, type StripeKeyCheck } from "./test-stripe-key";

export type ConnectStripeOptions = {
  workspaceId: string;
  endpointId: string;
  /** Seals the key. */
  box: SecretBox;
  key: string;
  api: StripeApiSettings;
  /** Who connects it, for the audit log. */
  actor?: AuditActor;
};

export type ConnectedStripe = StripeKeyCheck & { endpointId: string; connectedAt: Date };

/**
 * Tests a pasted Stripe key (testStripeKey), then stores it for the endpoint, sealed, replacing the
 * one it had. Stripe is asked before the transaction begins, so no connection waits on it.
 */
export async function connectStripe(db: Db, options: ConnectStripeOptions): Promise<ConnectedStripe> {
  const { workspaceId, endpointId, box } = options;
  const exists = await withWorkspace(db, workspaceId, (tx) =>
    tx.endpoint.findFirst({ where: { id: endpointId, workspaceId, deletedAt: null }, select: { id: true, name: true } }),
  );
  if (!exists) throw new NotFoundError("endpoint");
  // Endpoints have no mode yet (they take test and live events alike), so every key's mode is accepted.
  const check = await testStripeKey({ key: options.key, api: options.api, endpointMode: null });
  const keyCiphertext = box.encrypt(options.key.trim(), stripeKeyAssociatedData(workspaceId, endpointId));
  const fields = {
    keyCiphertext,
    keyLast4: check.last4,
    keyKind: check.kind,
    mode: check.mode,
    accountId: check.accountId,
    accountName: check.accountName,
    connectedAt: new Date(),
  };
  const stored = await withWorkspace(db, workspaceId, async (tx) => {
    const row = await tx.stripeConnection.upsert({
      where: { endpointId },
      create: { endpointId, workspaceId, ...fields },
      update: fields,
      select: { connectedAt: true },
    });
    await recordAudit(tx, {
      workspaceId,
      actor: options.actor,
      action: "endpoint.stripe_connected",
      target: { type: "endpoint", id: endpointId, label: exists.name },
      details: { keyLast4: check.last4, keyKind: check.kind, mode: check.mode, accountId: check.accountId },
    });
    return row;
  });
  return { ...check, endpointId, connectedAt: stored.connectedAt };
}
