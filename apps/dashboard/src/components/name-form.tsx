"use client";
import { Field, FormMessage, SubmitButton } from "./form";
import type { FormAction } from "./form-state";
import { useFormAction } from "./use-form-action";

/** A form that creates something from its name alone: a workspace, an endpoint. */
export function NameForm({
  action,
  id,
  label,
  placeholder,
  submitLabel,
  heading,
}: {
  action: FormAction;
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
      <Field
        id={id}
        label={label}
        name="name"
        type="text"
        required
        maxLength={100}
        placeholder={placeholder}
        error={state.fieldErrors?.name}
      />
      <FormMessage error={state.error} />
      <SubmitButton pending={pending} pendingLabel="Creating…">
        {submitLabel}
      </SubmitButton>
    </form>
  );
}
