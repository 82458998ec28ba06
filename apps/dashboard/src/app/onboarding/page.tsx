import { redirect } from "next/navigation";
import { services } from "@/server/services";
import { requireUser } from "@/server/session";
import { acceptInvitation } from "../workspace-actions";
import { CreateWorkspaceForm } from "../name-form";

export const dynamic = "force-dynamic";

export default async function OnboardingPage() {
  const session = await requireUser();
  const { db } = services();
  const [memberships, invitations] = await Promise.all([
    db.member.count({ where: { userId: session.user.id } }),
    db.invitation.findMany({
      where: { email: session.user.email.toLowerCase(), status: "pending", expiresAt: { gt: new Date() } },
      select: { id: true, workspace: { select: { name: true } } },
    }),
  ]);
  if (memberships > 0 && invitations.length === 0) redirect("/endpoints");

  return (
    <main className="auth">
      <h1>Welcome, {session.user.name}</h1>
      <p className="muted">Create a workspace for your audience. Next, you will connect it to Stripe.</p>
      {invitations.map((invitation) => (
        <form key={invitation.id} action={acceptInvitation} className="panel spread">
          <input type="hidden" name="invitationId" value={invitation.id} />
          <span>
            You are invited to <strong>{invitation.workspace.name}</strong>.
          </span>
          <button type="submit">Join</button>
        </form>
      ))}
      <CreateWorkspaceForm />
    </main>
  );
}
