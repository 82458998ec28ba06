"use client";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import type { FormAction } from "@/components/form-state";
import { useFormAction } from "@/components/use-form-action";

export function InviteForm({ action }: { action: FormAction }) {
  const { state, pending, formProps } = useFormAction(action, { resetOnSuccess: true });
  const error = state.fieldErrors?.email ?? state.error;
  return (
    <form {...formProps} className="panel">
      <h2>Invite a member</h2>
      <Field
        id="invite-email"
        label="Email"
        name="email"
        type="email"
        required
        aria-invalid={Boolean(error)}
        aria-describedby="invite-message"
      />
      <FormMessage id="invite-message" error={error} success={state.ok ? state.message : undefined} />
      <SubmitButton pending={pending} pendingLabel="Inviting…">
        Invite
      </SubmitButton>
    </form>
  );
}
