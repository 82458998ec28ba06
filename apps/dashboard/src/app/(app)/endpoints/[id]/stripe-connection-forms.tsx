"use client";
// The Stripe connection panel's forms: paste and test a key, remove it, and import the existing
// customers with a progress bar read again every second until the import ends.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import type { FormAction } from "@/components/form-state";
import { useFormAction } from "@/components/use-form-action";
import type { ConnectState } from "./stripe-connection-actions";
import type { ImportRunState } from "./stripe-connection-state";

export function ConnectStripeForm({
  action,
  endpointId,
  connected,
}: {
  action: FormAction<ConnectState>;
  endpointId: string;
  connected: boolean;
}) {
  const { state, pending, formProps } = useFormAction(action, { resetOnSuccess: true });
  const error = state.fieldErrors?.key ?? state.error;
  return (
    <form {...formProps}>
      <input type="hidden" name="endpointId" value={endpointId} />
      <Field
        id="stripe-key"
        label={connected ? "Replace the key" : "Stripe restricted key"}
        name="key"
        type="password"
        autoComplete="off"
        placeholder="rk_live_… or rk_test_…"
        aria-invalid={Boolean(error)}
        aria-describedby="stripe-key-message"
      />
      <FormMessage id="stripe-key-message" error={error} success={state.ok ? state.message : undefined} />
      {state.warning && (
        <p className="notice small" role="status">
          {state.warning}
        </p>
      )}
      <SubmitButton pending={pending} pendingLabel="Testing…">
        Test connection and save
      </SubmitButton>
    </form>
  );
}

export function RemoveConnectionButton({
  action,
  endpointId,
}: {
  action: (form: FormData) => Promise<void>;
  endpointId: string;
}) {
  return (
    <form action={action}>
      <input type="hidden" name="endpointId" value={endpointId} />
      <button type="submit" className="secondary">
        Remove key
      </button>
    </form>
  );
}

const active = (run: ImportRunState | null) => run?.status === "queued" || run?.status === "running";

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function summary(run: ImportRunState): string {
  const counts = `${run.customersRead.toLocaleString("en")}${run.customersTotal === null ? "" : ` of ${run.customersTotal.toLocaleString("en")}`} customers, ${run.subscriptionsRead.toLocaleString("en")} subscriptions, ${run.invoicesRead.toLocaleString("en")} paid invoices${run.skipped ? ` (${run.skipped} records without an email or contact, skipped)` : ""}`;
  switch (run.status) {
    case "queued":
      return run.canceling ? "Canceling…" : "Waiting for a worker to start the import…";
    case "running":
      return `${run.canceling ? "Canceling after this page: " : "Importing: "}${counts}${run.etaSeconds ? `, about ${duration(run.etaSeconds)} left` : ""}.`;
    case "succeeded":
      return `Import finished: ${counts}.`;
    case "canceled":
      return `Import canceled: ${counts} were imported before it stopped.`;
    case "failed":
      return `Import failed: ${run.error ?? "unknown error"} (${counts} were imported).`;
  }
}

export function ImportPanel({
  endpointId,
  connected,
  refusal,
  initial,
  start,
  cancel,
}: {
  endpointId: string;
  connected: boolean;
  refusal?: string;
  initial: ImportRunState | null;
  start: FormAction;
  cancel: (form: FormData) => Promise<void>;
}) {
  const router = useRouter();
  const [run, setRun] = useState(initial);
  const { state, pending, formProps } = useFormAction(start);
  useEffect(() => setRun(initial), [initial]);
  useEffect(() => {
    if (!active(run)) return;
    const timer = setTimeout(() => {
      void (async () => {
        const response = await fetch(`/endpoints/${endpointId}/import-progress`, { cache: "no-store" }).catch(() => null);
        const next = response?.ok ? ((await response.json()) as ImportRunState | null) : null;
        // A failed read tries again a second later (a new object re-runs this effect).
        setRun(next ? next : (current) => (current ? { ...current } : current));
        // Once it ends, the page shows the contacts' counts and the buttons anew.
        if (next && !active(next)) router.refresh();
      })();
    }, 1_000);
    return () => clearTimeout(timer);
  }, [run, endpointId, router]);

  return (
    <div className="import">
      <h3>Import existing customers</h3>
      <p className="muted small">
        Reads every customer in Stripe with their subscriptions (plans named by product) and paid invoices (lifetime value) into
        your audience, each as it stands when read: events Stripe sends meanwhile still win when they are newer. It fires no
        trigger events.
      </p>
      {run && (
        <div data-testid="import-progress" role="status">
          <progress max={100} value={run.percent ?? undefined} aria-label="Import progress">
            {run.percent ?? 0}%
          </progress>{" "}
          <span>{run.percent === null ? "" : `${run.percent}%`}</span>
          <p>{summary(run)}</p>
        </div>
      )}
      {!refusal && active(run) && !run?.canceling && (
        <form action={cancel}>
          <input type="hidden" name="endpointId" value={endpointId} />
          <button type="submit" className="secondary">
            Cancel import
          </button>
        </form>
      )}
      {!refusal && connected && !active(run) && (
        <form {...formProps}>
          <input type="hidden" name="endpointId" value={endpointId} />
          <FormMessage error={state.error} />
          <SubmitButton pending={pending} pendingLabel="Starting…">
            {run ? "Import again (fires no trigger events)" : "Import existing customers (fires no trigger events)"}
          </SubmitButton>
        </form>
      )}
    </div>
  );
}
