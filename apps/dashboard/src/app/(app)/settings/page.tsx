import Link from "next/link";
import { listApiKeys, listMembers } from "@hookloop/core";
import { managesWorkspace, memberChangeRefusal, workspaceRoles } from "@hookloop/domain";
import { timestamp } from "@/components/tables";
import { requireWorkspace } from "@/server/session";
import { CreateWorkspaceForm } from "../../create-workspace-form";
import { inviteMember } from "../../workspace-actions";
import { createApiKeyAction, revokeApiKeyAction } from "./api-key-actions";
import { ApiKeyRow, CreateApiKeyForm } from "./api-keys";
import { changeRoleAction, leaveWorkspaceAction, removeMemberAction } from "./actions";
import { InviteForm } from "./invite-form";
import { LeaveForm, MemberRow } from "./members";

export default async function SettingsPage() {
  const { workspace, user, role, inWorkspace } = await requireWorkspace();
  const members = await inWorkspace((tx) => listMembers(tx, { workspaceId: workspace.id }));
  const apiKeys = await inWorkspace((tx) => listApiKeys(tx, { workspaceId: workspace.id }));
  const self = members.find((member) => member.userId === user.id);
  const owners = members.filter((member) => member.role === "owner").length;
  const manages = managesWorkspace(role);
  // The same rules the actions apply (and better-auth after them): a control is offered only where
  // it can succeed, and where it cannot the row says why.
  const refusal = (target: (typeof members)[number], change: Parameters<typeof memberChangeRefusal>[0]["change"]) =>
    memberChangeRefusal({
      actor: { memberId: self?.id ?? "", role },
      target: { memberId: target.id, role: target.role, name: target.user.name },
      change,
      owners,
    });
  const rolesFor = (target: (typeof members)[number]) =>
    workspaceRoles.filter((option) => option === target.role || !refusal(target, { kind: "role", role: option }));
  return (
    <>
      <h1>Settings</h1>
      <div className="panel">
        <h2>Members of {workspace.name}</h2>
        <p className="muted">
          Owners and admins change endpoints, secrets, destinations, API keys and members; members see everything, send tests and
          replay deliveries. Only an owner makes someone an owner.
        </p>
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              {manages && <th>Access</th>}
            </tr>
          </thead>
          <tbody>
            {members.map((member) => {
              return (
                <MemberRow
                  key={member.id}
                  member={{ id: member.id, name: member.user.name, email: member.user.email, role: member.role }}
                  manage={
                    manages
                      ? {
                          roles: rolesFor(member),
                          removeRefusal: refusal(member, { kind: "remove" }),
                          changeRole: changeRoleAction,
                          remove: removeMemberAction,
                        }
                      : undefined
                  }
                />
              );
            })}
          </tbody>
        </table>
      </div>
      {manages && <InviteForm action={inviteMember} />}
      <section className="panel" aria-labelledby="api-keys">
        <h2 id="api-keys">API keys</h2>
        <p className="muted">
          Your developers call Hookloop&apos;s API with these, as <code>Authorization: Bearer hl_live_…</code>. A read-only key
          reads everything of {workspace.name}; a read-write key also fires trigger events and erases contacts. A revoked key is
          refused at once.
        </p>
        {apiKeys.length === 0 ? (
          <p className="empty">No API keys yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Prefix</th>
                <th>Scope</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {apiKeys.map((key) => (
                <ApiKeyRow
                  key={key.id}
                  apiKey={{
                    id: key.id,
                    name: key.name,
                    prefix: key.prefix,
                    readOnly: key.readOnly,
                    created: timestamp(key.createdAt),
                    lastUsed: key.lastUsedAt ? timestamp(key.lastUsedAt) : "Never",
                    revoked: key.revokedAt ? timestamp(key.revokedAt) : null,
                  }}
                  revoke={manages ? revokeApiKeyAction : undefined}
                />
              ))}
            </tbody>
          </table>
        )}
        {manages ? (
          <CreateApiKeyForm action={createApiKeyAction} />
        ) : (
          <p className="muted small">Only the workspace&apos;s owners and admins can create or revoke API keys.</p>
        )}
      </section>
      {manages && (
        <section className="panel" aria-labelledby="audit-log">
          <h2 id="audit-log">Audit log</h2>
          <p className="muted">
            Who changed endpoints, secrets, destinations, API keys and members, and when: kept 400 days, exportable as CSV.{" "}
            <Link href="/settings/audit">Open the audit log</Link>
          </p>
        </section>
      )}
      <LeaveForm
        action={leaveWorkspaceAction}
        workspace={workspace.name}
        refusal={self ? refusal(self, { kind: "leave" }) : null}
      />
      <h2>Another workspace</h2>
      <CreateWorkspaceForm />
    </>
  );
}
