import { endpointEventSettingSchema } from "@hookloop/domain";
import { NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type GetEndpointOptions = { workspaceId: string; endpointId: string };

/** One endpoint of the workspace with its settings; never its secrets. A deleted one is not found. */
export async function getEndpoint(tx: WorkspaceTx, options: GetEndpointOptions) {
  const endpoint = await tx.endpoint.findFirst({
    where: { id: options.endpointId, workspaceId: options.workspaceId, deletedAt: null },
    select: {
      id: true,
      name: true,
      enabled: true,
      secretLast4: true,
      previousSecretExpiresAt: true,
      onCustomerDeleted: true,
      syncNames: true,
      createdAt: true,
      events: { select: { eventType: true, enabled: true, triggerName: true, condition: true }, orderBy: { eventType: "asc" } },
    },
  });
  if (!endpoint) throw new NotFoundError("endpoint");
  return { ...endpoint, events: endpoint.events.map((setting) => endpointEventSettingSchema.parse(setting)) };
}
