"use client";
import { useFormAction } from "./use-form-action";
import type { FormState } from "./form-state";

export function WorkspaceForm({
  action,
  submitLabel,
}: {
  action: (state: FormState, form: FormData) => Promise<FormState>;
  submitLabel: string;
}) {
  const { state, pending, formProps } = useFormAction(action);
  return (
    <form {...formProps} className="panel">
      <div className="field">
        <label htmlFor="workspace-name">Workspace name</label>
        <input
          id="workspace-name"
          name="name"
          type="text"
          required
          maxLength={100}
          placeholder="Acme"
          aria-describedby="workspace-name-error"
        />
        {state.fieldErrors?.name && (
          <p id="workspace-name-error" className="error" role="alert">
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
        {pending ? "Creating…" : submitLabel}
      </button>
    </form>
  );
}
