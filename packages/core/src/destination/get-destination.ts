import type { SecretBox } from "@hookloop/secrets";
import { NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";
import { destinationSecretAssociatedData } from "./destination-secrets";

export type GetDestinationOptions = {
  workspaceId: string;
  destinationId: string;
  /** Opens the signing secret, which the destination's page shows in full behind a reveal toggle. */
  box: SecretBox;
};

/** One destination of the workspace, with its signing secret in full; another workspace's id is not found. */
export async function getDestination(tx: WorkspaceTx, options: GetDestinationOptions) {
  const { workspaceId, destinationId } = options;
  const row = await tx.destination.findFirst({ where: { id: destinationId, workspaceId } });
  if (!row) throw new NotFoundError("destination");
  const now = new Date();
  const rotatingOut = row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt > now;
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    enabled: row.enabled,
    pausedAt: row.pausedAt,
    pausedReason: row.pausedReason,
    triggers: row.allTriggers ? ("all" as const) : row.triggerNames,
    contactChanges: row.contactChanges,
    lastSuccessAt: row.lastSuccessAt,
    createdAt: row.createdAt,
    secret: options.box.decrypt(row.secretCiphertext, destinationSecretAssociatedData(workspaceId, row.id)),
    /** Until when the secret replaced by the last rotation still signs alongside; null once it no longer does. */
    previousSecretExpiresAt: rotatingOut ? row.previousSecretExpiresAt : null,
  };
}
