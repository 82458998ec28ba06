import { redirect } from "next/navigation";
import { listMemberships, listPendingInvitations } from "@hookloop/core";
import { services } from "@/server/services";
import { requireUser } from "@/server/session";
import { CreateWorkspaceForm } from "../create-workspace-form";
import { acceptInvitation } from "../workspace-actions";

export const dynamic = "force-dynamic";

export default async function OnboardingPage() {
  const session = await requireUser();
  const { db } = services();
  const [memberships, invitations] = await Promise.all([
    listMemberships(db, { userId: session.user.id }),
    listPendingInvitations(db, { email: session.user.email }),
  ]);
  if (memberships.length > 0 && invitations.length === 0) redirect("/endpoints");

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
