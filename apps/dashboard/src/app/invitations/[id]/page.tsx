import Link from "next/link";
import { notFound } from "next/navigation";
import { NotFoundError, getInvitation } from "@hookloop/core";
import { services } from "@/server/services";
import { currentSession } from "@/server/session";
import { InvitationForm } from "../../invitation-form";
import { signOut } from "../../workspace-actions";

export const dynamic = "force-dynamic";

const closed = {
  accepted: "This invitation was already used.",
  rejected: "This invitation was declined.",
  canceled: "This invitation was withdrawn.",
  expired: "This invitation has expired. Ask whoever invited you to send a new one.",
};

/** Where an invitation email's link lands. Only the invited address, once confirmed, may join. */
export default async function InvitationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const invitation = await getInvitation(services().db, { invitationId: id }).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const session = await currentSession();
  const role = invitation.role === "admin" ? "an admin" : `a ${invitation.role}`;

  return (
    <main className="auth">
      <h1>Join {invitation.workspace.name}</h1>
      <p className="muted">
        {invitation.inviter} invited {invitation.email} to join {invitation.workspace.name} on Hookloop as {role}.
      </p>
      {invitation.status !== "pending" ? (
        <p className="error" role="alert">
          {closed[invitation.status]}
        </p>
      ) : !session ? (
        <div className="panel">
          <p>Sign in with {invitation.email} to join, or create an account with that address and confirm it first.</p>
          <div className="row">
            <Link className="button" href={`/sign-in?next=/invitations/${invitation.id}`}>
              Sign in
            </Link>
            <Link href="/sign-up">Create an account</Link>
          </div>
        </div>
      ) : session.user.email.toLowerCase() !== invitation.email.toLowerCase() ? (
        <form action={signOut} className="panel">
          <p className="error" role="alert">
            This invitation is for {invitation.email}, and you are signed in as {session.user.email}.
          </p>
          <button type="submit" className="secondary">
            Sign out
          </button>
        </form>
      ) : (
        <InvitationForm invitationId={invitation.id} workspace={invitation.workspace.name} />
      )}
    </main>
  );
}
