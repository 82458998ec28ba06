"use client";
import { useFormAction } from "./use-form-action";
import type { FormState } from "./form-state";
import { createWorkspaceAction } from "./workspace-actions";

/** A form that creates something from its name alone: a workspace, an endpoint. */
export function NameForm({
  action,
  id,
  label,
  placeholder,
  submitLabel,
  heading,
}: {
  action: (state: FormState, form: FormData) => Promise<FormState>;
  id: string;
  label: string;
  placeholder: string;
  submitLabel: string;
  heading?: string;
}) {
  const { state, pending, formProps } = useFormAction(action);
  return (
    <form {...formProps} className="panel">
      {heading && <h2>{heading}</h2>}
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          name="name"
          type="text"
          required
          maxLength={100}
          placeholder={placeholder}
          aria-invalid={Boolean(state.fieldErrors?.name)}
          aria-describedby={`${id}-error`}
        />
        {state.fieldErrors?.name && (
          <p id={`${id}-error`} className="error" role="alert">
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

/** The form that creates a workspace: on onboarding, and in a workspace's settings. */
export function CreateWorkspaceForm() {
  return (
    <NameForm
      action={createWorkspaceAction}
      id="workspace-name"
      label="Workspace name"
      placeholder="Acme"
      submitLabel="Create workspace"
    />
  );
}
