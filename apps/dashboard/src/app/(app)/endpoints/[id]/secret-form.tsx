"use client";
import { useFormAction } from "../../../use-form-action";
import type { FormState } from "../../../form-state";

export function SecretForm({
  action,
  endpointId,
  last4,
}: {
  action: (state: FormState, form: FormData) => Promise<FormState>;
  endpointId: string;
  last4: string | null;
}) {
  const { state, pending, formProps } = useFormAction(action, { resetOnSuccess: true });
  const error = state.fieldErrors?.secret ?? state.error;
  return (
    <form {...formProps}>
      <input type="hidden" name="endpointId" value={endpointId} />
      <p className="muted">
        {last4 ? (
          <>
            Current secret: <code>whsec_…{last4}</code>. Pasting a new one rotates it; the old one keeps working for 24 hours.
          </>
        ) : (
          "No signing secret yet: Hookloop refuses events until it can verify them."
        )}
      </p>
      <div className="field">
        <label htmlFor="secret">Signing secret</label>
        <input
          id="secret"
          name="secret"
          type="password"
          autoComplete="off"
          placeholder="whsec_…"
          aria-invalid={Boolean(error)}
          aria-describedby="secret-message"
        />
      </div>
      <div id="secret-message" aria-live="polite">
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {state.ok && <p className="success">{state.message}</p>}
      </div>
      <button type="submit" disabled={pending}>
        {pending ? "Saving…" : last4 ? "Rotate secret" : "Save secret"}
      </button>
    </form>
  );
}
