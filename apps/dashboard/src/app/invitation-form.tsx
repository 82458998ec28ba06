"use client";
import { FormMessage, SubmitButton } from "@/components/form";
import { useFormAction } from "@/components/use-form-action";
import { acceptInvitationAction } from "./workspace-actions";

/** "Join" for one invitation; a refusal (another address, not confirmed, expired) shows beside it. */
export function InvitationForm({ invitationId, workspace }: { invitationId: string; workspace: string }) {
  const { state, pending, formProps } = useFormAction(acceptInvitationAction);
  const messageId = `invitation-${invitationId}-message`;
  return (
    <form {...formProps} className="panel" aria-describedby={messageId}>
      <input type="hidden" name="invitationId" value={invitationId} />
      <div className="spread">
        <span>
          You are invited to <strong>{workspace}</strong>.
        </span>
        <SubmitButton pending={pending} pendingLabel="Joining…">
          Join
        </SubmitButton>
      </div>
      <FormMessage id={messageId} error={state.error} />
    </form>
  );
}
