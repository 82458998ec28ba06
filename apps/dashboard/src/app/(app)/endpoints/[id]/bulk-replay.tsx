"use client";
// Replaying every delivery the filter selects: the count first, then a question, then the post.
import { useState } from "react";

export function BulkReplay({
  action,
  count,
  status,
  fields,
}: {
  action: (form: FormData) => Promise<void>;
  count: number;
  status: "failed" | "ignored";
  /** The filter, posted back so the action replays what the page shows. */
  fields: Record<string, string | undefined>;
}) {
  const [asking, setAsking] = useState(false);
  const [sent, setSent] = useState(false);
  const what = `${count.toLocaleString("en")} ${status} ${count === 1 ? "delivery" : "deliveries"}`;
  if (!asking) {
    return (
      <button type="button" className="secondary" onClick={() => setAsking(true)}>
        Replay {what}…
      </button>
    );
  }
  return (
    <form
      action={action}
      onSubmit={() => setSent(true)}
      className="notice"
      role="alertdialog"
      aria-labelledby="bulk-question"
      aria-describedby="bulk-effects"
    >
      {Object.entries(fields).map(([name, value]) => value && <input key={name} type="hidden" name={name} value={value} />)}
      <p id="bulk-question">
        <strong>Replay {what}?</strong>
      </p>
      <p id="bulk-effects">
        Each goes back to the queue and is applied again with this endpoint's current settings; a trigger event already fired is
        not fired twice. Deliveries of events Hookloop does not handle are left out, since a replay could only ignore them again.
      </p>
      <div className="row">
        <button type="submit" disabled={sent}>
          {sent ? "Queuing…" : `Replay ${what}`}
        </button>
        <button type="button" className="secondary" onClick={() => setAsking(false)} disabled={sent}>
          Cancel
        </button>
      </div>
    </form>
  );
}
