import { listMembers } from "@hookloop/core";
import { requireWorkspace } from "@/server/session";
import { CreateWorkspaceForm } from "../../create-workspace-form";
import { inviteMember } from "../../workspace-actions";
import { InviteForm } from "./invite-form";

export default async function SettingsPage() {
  const { workspace, role, inWorkspace } = await requireWorkspace();
  const members = await inWorkspace((tx) => listMembers(tx, { workspaceId: workspace.id }));
  return (
    <>
      <h1>Settings</h1>
      <div className="panel">
        <h2>Members of {workspace.name}</h2>
        <table>
          <tbody>
            {members.map((member) => (
              <tr key={member.id}>
                <td>{member.user.name}</td>
                <td>{member.user.email}</td>
                <td>{member.role}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {(role === "owner" || role === "admin") && <InviteForm action={inviteMember} />}
      <h2>Another workspace</h2>
      <CreateWorkspaceForm />
    </>
  );
}
