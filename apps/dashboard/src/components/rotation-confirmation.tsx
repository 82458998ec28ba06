"use client";
// A secret rotation that would drop, at once, a secret still in its 24-hour grace answers with a
// confirmation instead of rotating; the form shows it and re-posts with `confirm` to go ahead.
import { useState, type ReactNode } from "react";
import type { FormState } from "./form-state";

export type RotationState = FormState & {
  /** What the rotation would drop, and when that secret would otherwise stop: the `confirm` to re-post. */
  confirm?: { message: string; until: string };
};

/**
 * The question, inside the rotation's form: its button re-posts the form with `confirm`, "Keep it"
 * puts the question away and changes nothing. `children` is what the form shows otherwise.
 */
export function RotationConfirmation({
  state,
  pending,
  confirmLabel,
  children,
}: {
  state: RotationState;
  pending: boolean;
  confirmLabel: string;
  children: ReactNode;
}) {
  const [dismissed, setDismissed] = useState<RotationState | null>(null);
  if (!state.confirm || dismissed === state) return children;
  return (
    <div className="notice" role="alertdialog" aria-labelledby="rotation-question" aria-describedby="rotation-drops">
      <p id="rotation-question">
        <strong>The last rotation's 24 hours are not over.</strong>
      </p>
      <p id="rotation-drops">{state.confirm.message}</p>
      <input type="hidden" name="confirm" value={state.confirm.until} />
      <div className="row">
        <button type="submit" disabled={pending}>
          {pending ? "Rotating…" : confirmLabel}
        </button>
        <button type="button" className="secondary" onClick={() => setDismissed(state)}>
          Keep it
        </button>
      </div>
    </div>
  );
}
