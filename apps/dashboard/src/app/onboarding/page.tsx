import { redirect } from "next/navigation";
import { listMemberships, listPendingInvitations } from "@hookloop/core";
import { services } from "@/server/services";
import { requireUser } from "@/server/session";
import { CreateWorkspaceForm } from "../create-workspace-form";
import { InvitationForm } from "../invitation-form";

export const dynamic = "force-dynamic";

export default async function OnboardingPage() {
  const session = await requireUser();
  const { db } = services();
  const [memberships, invitations] = await Promise.all([
    listMemberships(db, { userId: session.user.id }),
    // Only a proved address is offered its invitations (accepting checks it again).
    session.user.emailVerified ? listPendingInvitations(db, { email: session.user.email }) : [],
  ]);
  if (memberships.length > 0 && invitations.length === 0) redirect("/endpoints");

  return (
    <main className="auth">
      <h1>Welcome, {session.user.name}</h1>
      <p className="muted">Create a workspace for your audience. Next, you will connect it to Stripe.</p>
      {invitations.map((invitation) => (
        <InvitationForm key={invitation.id} invitationId={invitation.id} workspace={invitation.workspace.name} />
      ))}
      <CreateWorkspaceForm />
    </main>
  );
}
