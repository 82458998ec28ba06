import { InvalidInputError, NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type RenameEndpointOptions = { workspaceId: string; endpointId: string; name: string };

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
  return { id: endpoint.id, name, previousName: endpoint.name };
}
