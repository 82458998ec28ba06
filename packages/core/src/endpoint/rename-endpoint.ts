import { recordAudit, type AuditActor } from "../audit/record-audit";
import { InvalidInputError, NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type RenameEndpointOptions = {
  workspaceId: string;
  endpointId: string;
  name: string;
  /** Who renames it, for the audit log. */
  actor?: AuditActor;
};

/** Gives an endpoint a new name (what the dashboard lists it by); its URL and settings stay. */
export async function renameEndpoint(tx: WorkspaceTx, options: RenameEndpointOptions) {
  const name = options.name.trim();
  if (!name) throw new InvalidInputError("Give the endpoint a name.", "name");
  if (name.length > 100) throw new InvalidInputError("Keep the endpoint name to 100 characters or fewer.", "name");
  const endpoint = await tx.endpoint.findFirst({
    where: { id: options.endpointId, workspaceId: options.workspaceId, deletedAt: null },
    select: { id: true, name: true },
  });
  if (!endpoint) throw new NotFoundError("endpoint");
  await tx.endpoint.update({ where: { id: endpoint.id }, data: { name } });
  await recordAudit(tx, {
    workspaceId: options.workspaceId,
    actor: options.actor,
    action: "endpoint.renamed",
    target: { type: "endpoint", id: endpoint.id, label: name },
    details: { previousName: endpoint.name },
  });
  return { id: endpoint.id, name, previousName: endpoint.name };
}
