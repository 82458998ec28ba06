import type { WorkspaceTx } from "../workspace/with-workspace";

export type GetStripeConnectionOptions = { workspaceId: string; endpointId: string };

/** The endpoint's Stripe connection as the page shows it (never the key, only its last 4), or null. */
export async function getStripeConnection(tx: WorkspaceTx, options: GetStripeConnectionOptions) {
  return tx.stripeConnection.findFirst({
    where: { endpointId: options.endpointId, workspaceId: options.workspaceId },
    select: { keyLast4: true, keyKind: true, mode: true, accountId: true, accountName: true, connectedAt: true },
  });
}
