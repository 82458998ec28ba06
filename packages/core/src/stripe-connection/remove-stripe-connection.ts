import { NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type RemoveStripeConnectionOptions = { workspaceId: string; endpointId: string };

/** Forgets the endpoint's Stripe key. An import in progress stops at its next page, for want of a key. */
export async function removeStripeConnection(tx: WorkspaceTx, options: RemoveStripeConnectionOptions): Promise<void> {
  const { count } = await tx.stripeConnection.deleteMany({
    where: { endpointId: options.endpointId, workspaceId: options.workspaceId },
  });
  if (!count) throw new NotFoundError("Stripe connection");
}
