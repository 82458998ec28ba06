// The pieces every dashboard form is made of: a labelled field, the message a submission answers
// with, and a submit button that says it is busy.
import type { InputHTMLAttributes, ReactNode } from "react";

/** Why a value was refused, announced as soon as it appears. Nothing when there is no error. */
export function ErrorMessage({ id, children }: { id?: string; children?: ReactNode }) {
  if (!children) return null;
  return (
    <p id={id} className="error" role="alert">
      {children}
    </p>
  );
}

type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  id: string;
  label: string;
  /** Why the value was refused, shown under it (and the input marked invalid). */
  error?: string;
  /** A line of help under the input. */
  hint?: ReactNode;
};

/** A label, its input and what is wrong with it, tied together for assistive technology. */
export function Field({ id, label, error, hint, ...input }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={Boolean(error)}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        {...input}
      />
      {hint && (
        <p id={hintId} className="muted">
          {hint}
        </p>
      )}
      <ErrorMessage id={errorId}>{error}</ErrorMessage>
    </div>
  );
}

/**
 * Where a form answers: the error it was refused with, or the message it succeeded with, in a
 * live region. Fields whose errors show here point at it with `aria-describedby={id}`.
 */
export function FormMessage({ id, error, success }: { id?: string; error?: string; success?: string }) {
  return (
    <div id={id} aria-live="polite">
      <ErrorMessage>{error}</ErrorMessage>
      {success && <p className="success">{success}</p>}
    </div>
  );
}

/** A submit button that is disabled and says `pendingLabel` while its form is on its way. */
export function SubmitButton({
  pending,
  pendingLabel,
  disabled,
  children,
}: {
  pending: boolean;
  pendingLabel: string;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <button type="submit" disabled={pending || disabled}>
      {pending ? pendingLabel : children}
    </button>
  );
}
