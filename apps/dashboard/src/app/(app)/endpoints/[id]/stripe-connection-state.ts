import type { ImportRunView } from "@hookloop/core";

/** An import as the panel shows it, in JSON's terms (the page hands it to the client; the route answers it). */
export type ImportRunState = {
  status: ImportRunView["status"];
  customersTotal: number | null;
  customersRead: number;
  subscriptionsRead: number;
  invoicesRead: number;
  skipped: number;
  percent: number | null;
  etaSeconds: number | null;
  canceling: boolean;
  error: string | null;
  finishedAt: string | null;
};

export function importRunState(run: ImportRunView): ImportRunState {
  return {
    status: run.status,
    customersTotal: run.customersTotal,
    customersRead: run.customersRead,
    subscriptionsRead: run.subscriptionsRead,
    invoicesRead: run.invoicesRead,
    skipped: run.skipped,
    percent: run.percent,
    etaSeconds: run.etaSeconds,
    canceling: Boolean(run.cancelRequestedAt) && (run.status === "queued" || run.status === "running"),
    error: run.error,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}
