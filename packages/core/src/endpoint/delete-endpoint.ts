import { recordAudit, type AuditActor } from "../audit/record-audit";
import { NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type DeleteEndpointOptions = {
  workspaceId: string;
  endpointId: string;
  now?: Date;
  /** Who deletes it, for the audit log. */
  actor?: AuditActor;
};

/**
 * Deletes an endpoint, softly: the row stays, marked deleted, so its deliveries stay too, and
 * with them what the contact history and trigger events say came from them (contacts and their
 * history are the workspace's, not the endpoint's). Its signing secrets are wiped, nothing lists it
 * and ingest answers its URL 404 as for an unknown endpoint: Stripe's next events to it are refused
 * (Stripe retries each for up to three days, then gives up). Deliveries already queued are still
 * applied; a deleted endpoint's deliveries are not replayed.
 */
export async function deleteEndpoint(tx: WorkspaceTx, options: DeleteEndpointOptions) {
  const endpoint = await tx.endpoint.findFirst({
    where: { id: options.endpointId, workspaceId: options.workspaceId, deletedAt: null },
    select: { id: true, name: true, _count: { select: { deliveries: true } } },
  });
  if (!endpoint) throw new NotFoundError("endpoint");
  await tx.endpoint.update({
    where: { id: endpoint.id },
    data: {
      deletedAt: options.now ?? new Date(),
      enabled: false,
      secretCiphertext: null,
      secretLast4: null,
      previousSecretCiphertext: null,
      previousSecretExpiresAt: null,
    },
  });
  // Its Stripe API key goes with the signing secrets; an import still running stops at its next page.
  await tx.stripeConnection.deleteMany({ where: { endpointId: endpoint.id } });
  await recordAudit(tx, {
    workspaceId: options.workspaceId,
    actor: options.actor,
    action: "endpoint.deleted",
    target: { type: "endpoint", id: endpoint.id, label: endpoint.name },
    details: { deliveriesKept: endpoint._count.deliveries },
  });
  return { id: endpoint.id, name: endpoint.name, deliveriesKept: endpoint._count.deliveries };
}
