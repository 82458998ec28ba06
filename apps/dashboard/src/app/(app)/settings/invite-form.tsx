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
      <div className="field">
        <label htmlFor="invite-role">Role</label>
        <select id="invite-role" name="role" defaultValue="member">
          <option value="member">Member: sees everything, replays deliveries</option>
          <option value="admin">Admin: also changes endpoints, secrets, destinations and members</option>
        </select>
      </div>
      <FormMessage id="invite-message" error={error} success={state.ok ? state.message : undefined} />
      <SubmitButton pending={pending} pendingLabel="Inviting…">
        Invite
      </SubmitButton>
    </form>
  );
}
