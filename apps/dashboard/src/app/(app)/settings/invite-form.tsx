"use client";
import { useFormAction } from "../../use-form-action";
import type { FormState } from "../../form-state";

export function InviteForm({ action }: { action: (state: FormState, form: FormData) => Promise<FormState> }) {
  const { state, pending, formProps } = useFormAction(action, { resetOnSuccess: true });
  return (
    <form {...formProps} className="panel">
      <h2>Invite a member</h2>
      <div className="field">
        <label htmlFor="invite-email">Email</label>
        <input id="invite-email" name="email" type="email" required aria-describedby="invite-message" />
      </div>
      <div id="invite-message" aria-live="polite">
        {(state.fieldErrors?.email ?? state.error) && (
          <p className="error" role="alert">
            {state.fieldErrors?.email ?? state.error}
          </p>
        )}
        {state.ok && <p className="success">{state.message}</p>}
      </div>
      <button type="submit" disabled={pending}>
        {pending ? "Inviting…" : "Invite"}
      </button>
    </form>
  );
}
