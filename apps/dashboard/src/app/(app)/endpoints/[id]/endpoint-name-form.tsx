"use client";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import type { FormAction } from "@/components/form-state";
import { useFormAction } from "@/components/use-form-action";

/** Renames the endpoint: the URL Stripe posts to and every setting stay as they are. */
export function EndpointNameForm({ action, endpointId, name }: { action: FormAction; endpointId: string; name: string }) {
  const { state, pending, formProps } = useFormAction(action);
  return (
    <form {...formProps}>
      <input type="hidden" name="endpointId" value={endpointId} />
      <Field
        id="endpoint-name"
        label="Endpoint name"
        name="name"
        type="text"
        required
        maxLength={100}
        defaultValue={name}
        hint="Only what Hookloop lists it by: the URL Stripe posts to stays the same."
        error={state.fieldErrors?.name}
      />
      <FormMessage error={state.error} success={state.ok ? state.message : undefined} />
      <SubmitButton pending={pending} pendingLabel="Renaming…">
        Rename
      </SubmitButton>
    </form>
  );
}
