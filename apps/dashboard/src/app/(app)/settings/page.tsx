import { services } from "@/server/services";
import { requireWorkspace } from "@/server/session";
import { inviteMember } from "../../workspace-actions";
import { CreateWorkspaceForm } from "../../name-form";
import { InviteForm } from "./invite-form";

export default async function SettingsPage() {
  const { workspace, role } = await requireWorkspace();
  const members = await services().db.member.findMany({
    where: { workspaceId: workspace.id },
    select: { id: true, role: true, user: { select: { name: true, email: true } } },
    orderBy: { createdAt: "asc" },
  });
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
