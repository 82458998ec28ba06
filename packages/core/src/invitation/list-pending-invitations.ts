import type { DbClient } from "@hookloop/db/client";

export type ListPendingInvitationsOptions = { email: string; now?: Date };

/**
 * The invitations still open to an email address, with the workspace each is for. Takes a client:
 * the person invited is not a member of that workspace yet.
 */
export async function listPendingInvitations(db: DbClient, options: ListPendingInvitationsOptions) {
  return db.invitation.findMany({
    where: { email: options.email.toLowerCase(), status: "pending", expiresAt: { gt: options.now ?? new Date() } },
    select: { id: true, workspace: { select: { id: true, name: true } } },
  });
}
