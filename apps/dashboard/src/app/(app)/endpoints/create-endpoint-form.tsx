"use client";
import { useFormAction } from "../../use-form-action";
import type { FormState } from "../../form-state";

export function CreateEndpointForm({ action }: { action: (state: FormState, form: FormData) => Promise<FormState> }) {
  const { state, pending, formProps } = useFormAction(action);
  return (
    <form {...formProps} className="panel">
      <h2>New endpoint</h2>
      <div className="field">
        <label htmlFor="endpoint-name">Name</label>
        <input
          id="endpoint-name"
          name="name"
          type="text"
          required
          maxLength={100}
          placeholder="Stripe (live)"
          aria-describedby="endpoint-name-error"
        />
        {state.fieldErrors?.name && (
          <p id="endpoint-name-error" className="error" role="alert">
            {state.fieldErrors.name}
          </p>
        )}
      </div>
      {state.error && (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
      <button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create endpoint"}
      </button>
    </form>
  );
}
