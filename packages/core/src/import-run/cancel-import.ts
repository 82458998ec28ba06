import { NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type CancelImportOptions = { workspaceId: string; endpointId: string };

/**
 * Asks the endpoint's running import to stop: it stops after the page of customers in hand, keeping
 * what it wrote. One not yet started is canceled at once. Nothing to cancel is NotFoundError.
 */
export async function cancelImport(tx: WorkspaceTx, options: CancelImportOptions) {
  const run = await tx.importRun.findFirst({
    where: { workspaceId: options.workspaceId, endpointId: options.endpointId, status: { in: ["queued", "running"] } },
    select: { id: true, status: true, startedAt: true },
  });
  if (!run) throw new NotFoundError("running import");
  const now = new Date();
  if (run.status === "queued" && !run.startedAt) {
    await tx.importRun.update({ where: { id: run.id }, data: { status: "canceled", cancelRequestedAt: now, finishedAt: now } });
    await tx.importOutbox.deleteMany({ where: { importRunId: run.id } });
    return { id: run.id, status: "canceled" as const };
  }
  await tx.importRun.update({ where: { id: run.id }, data: { cancelRequestedAt: now } });
  return { id: run.id, status: "canceling" as const };
}
