import { importProgress } from "@hookloop/domain";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type GetImportRunOptions = {
  workspaceId: string;
  endpointId: string;
  /** A run of the endpoint; its newest when absent. */
  importRunId?: string;
  now?: Date;
};

const fields = {
  id: true,
  status: true,
  customersTotal: true,
  customersRead: true,
  subscriptionsRead: true,
  invoicesRead: true,
  skipped: true,
  checkpoint: true,
  cancelRequestedAt: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
} as const;

/** An import of the endpoint's customers with its counts, progress (percent) and estimate, or null. */
export async function getImportRun(tx: WorkspaceTx, options: GetImportRunOptions) {
  const run = await tx.importRun.findFirst({
    where: {
      workspaceId: options.workspaceId,
      endpointId: options.endpointId,
      ...(options.importRunId ? { id: options.importRunId } : {}),
    },
    orderBy: { createdAt: "desc" },
    select: fields,
  });
  if (!run) return null;
  return { ...run, ...importProgress(run, options.now ?? new Date()) };
}

export type ImportRunView = NonNullable<Awaited<ReturnType<typeof getImportRun>>>;
