import { recordAudit, type AuditActor } from "../audit/record-audit";
import { NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type RemoveStripeConnectionOptions = {
  workspaceId: string;
  endpointId: string;
  /** Who removes it, for the audit log. */
  actor?: AuditActor;
};

/** Forgets the endpoint's Stripe key. An import in progress stops at its next page, for want of a key. */
export async function removeStripeConnection(tx: WorkspaceTx, options: RemoveStripeConnectionOptions): Promise<void> {
  const { count } = await tx.stripeConnection.deleteMany({
    where: { endpointId: options.endpointId, workspaceId: options.workspaceId },
  });
  if (!count) throw new NotFoundError("Stripe connection");
  const endpoint = await tx.endpoint.findFirst({ where: { id: options.endpointId }, select: { name: true } });
  await recordAudit(tx, {
    workspaceId: options.workspaceId,
    actor: options.actor,
    action: "endpoint.stripe_disconnected",
    target: { type: "endpoint", id: options.endpointId, label: endpoint?.name },
  });
}
