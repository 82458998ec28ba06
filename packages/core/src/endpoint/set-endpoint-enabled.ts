import { recordAudit, type AuditActor } from "../audit/record-audit";
import { NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type SetEndpointEnabledOptions = {
  workspaceId: string;
  endpointId: string;
  enabled: boolean;
  /** Who pauses or resumes it, for the audit log. */
  actor?: AuditActor;
};

/**
 * Pauses or resumes an endpoint. A paused endpoint answers Stripe 404 and records nothing, so
 * Stripe keeps retrying each event (for up to three days) and delivers it once resumed. Ingest
 * notices within its endpoint cache's few seconds.
 */
export async function setEndpointEnabled(tx: WorkspaceTx, options: SetEndpointEnabledOptions) {
  const { count } = await tx.endpoint.updateMany({
    where: { id: options.endpointId, workspaceId: options.workspaceId },
    data: { enabled: options.enabled },
  });
  if (!count) throw new NotFoundError("endpoint");
  const endpoint = await tx.endpoint.findFirst({ where: { id: options.endpointId }, select: { name: true } });
  await recordAudit(tx, {
    workspaceId: options.workspaceId,
    actor: options.actor,
    action: options.enabled ? "endpoint.enabled" : "endpoint.disabled",
    target: { type: "endpoint", id: options.endpointId, label: endpoint?.name },
  });
}
