import type { DbClient } from "@hookloop/db/client";
import { NotFoundError } from "../errors";

/** One endpoint of the workspace with its settings; never its secrets. Run inside withWorkspace. */
export async function getEndpoint(tx: DbClient, options: { workspaceId: string; endpointId: string }) {
  const endpoint = await tx.endpoint.findFirst({
    where: { id: options.endpointId, workspaceId: options.workspaceId },
    select: {
      id: true,
      name: true,
      enabled: true,
      secretLast4: true,
      previousSecretExpiresAt: true,
      onCustomerDeleted: true,
      syncNames: true,
      createdAt: true,
      events: { select: { eventType: true, enabled: true, triggerName: true }, orderBy: { eventType: "asc" } },
    },
  });
  if (!endpoint) throw new NotFoundError("endpoint");
  return endpoint;
}
