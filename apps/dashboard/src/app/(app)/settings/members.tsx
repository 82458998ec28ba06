"use client";
import { FormMessage, SubmitButton } from "@/components/form";
import type { FormAction } from "@/components/form-state";
import { useFormAction } from "@/components/use-form-action";

export type MemberRowProps = {
  member: { id: string; name: string; email: string; role: string };
  /**
   * For owners and admins: the roles they may give this member (theirs among them; only theirs
   * when it cannot change), and why they may not remove them, if so.
   */
  manage?: {
    roles: readonly string[];
    removeRefusal: string | null;
    changeRole: FormAction;
    remove: FormAction;
  };
};

const roleLabels: Record<string, string> = { owner: "Owner", admin: "Admin", member: "Member" };

/** One member: name, address and role, and for owners and admins the forms that change them. */
export function MemberRow({ member, manage }: MemberRowProps) {
  return (
    <tr data-testid="member-row">
      <td>{member.name}</td>
      <td>{member.email}</td>
      <td>{manage && manage.roles.length > 1 ? <RoleForm member={member} manage={manage} /> : member.role}</td>
      {manage && (
        <td>
          {manage.removeRefusal ? (
            <span className="muted small">{manage.removeRefusal}</span>
          ) : (
            <RemoveForm member={member} manage={manage} />
          )}
        </td>
      )}
    </tr>
  );
}

function RoleForm({ member, manage }: Required<MemberRowProps>) {
  const { state, pending, formProps } = useFormAction(manage.changeRole);
  return (
    <form {...formProps} className="row">
      <input type="hidden" name="memberId" value={member.id} />
      <select name="role" defaultValue={member.role} aria-label={`Role for ${member.email}`}>
        {manage.roles.map((role) => (
          <option key={role} value={role}>
            {roleLabels[role] ?? role}
          </option>
        ))}
      </select>
      <SubmitButton pending={pending} pendingLabel="Saving…">
        Change role
      </SubmitButton>
      <FormMessage error={state.error} success={state.ok ? state.message : undefined} />
    </form>
  );
}

function RemoveForm({ member, manage }: Required<MemberRowProps>) {
  const { state, pending, formProps } = useFormAction(manage.remove);
  return (
    <form {...formProps}>
      <input type="hidden" name="memberId" value={member.id} />
      <button type="submit" className="secondary" disabled={pending} aria-label={`Remove ${member.email}`}>
        {pending ? "Removing…" : "Remove"}
      </button>
      <FormMessage error={state.error} />
    </form>
  );
}

/** Leaving the workspace, or why the user cannot (its only owner). */
export function LeaveForm({ action, workspace, refusal }: { action: FormAction; workspace: string; refusal: string | null }) {
  const { state, pending, formProps } = useFormAction(action);
  return (
    <form {...formProps} className="panel">
      <h2>Leave {workspace}</h2>
      <p className="muted">
        {refusal ?? "You lose access to its endpoints, destinations and audience; an owner or admin can invite you back."}
      </p>
      <FormMessage error={state.error} />
      <SubmitButton pending={pending} pendingLabel="Leaving…" disabled={Boolean(refusal)}>
        Leave workspace
      </SubmitButton>
    </form>
  );
}
