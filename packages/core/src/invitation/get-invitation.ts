import type { DbClient } from "@hookloop/db/client";
import { z } from "zod";
import { NotFoundError } from "../errors";

/** The statuses better-auth's organization plugin writes. */
const storedStatus = z.enum(["pending", "accepted", "rejected", "canceled"]);

export type GetInvitationOptions = { invitationId: string; now?: Date };

export type InvitationView = {
  id: string;
  /** The only address that may accept it. */
  email: string;
  role: string;
  workspace: { id: string; name: string };
  inviter: string;
  /** `pending` until it is accepted, refused or withdrawn; `expired` once past its date. */
  status: "pending" | "accepted" | "rejected" | "canceled" | "expired";
};

/**
 * One invitation by the id its link carries, for the page that link opens. Takes a client: the
 * person invited is not a member of that workspace yet. An unknown id is NotFoundError.
 */
export async function getInvitation(db: DbClient, options: GetInvitationOptions): Promise<InvitationView> {
  const invitation = await db.invitation.findUnique({
    where: { id: options.invitationId },
    select: {
      id: true,
      email: true,
      role: true,
      status: true,
      expiresAt: true,
      workspace: { select: { id: true, name: true } },
      inviter: { select: { name: true } },
    },
  });
  if (!invitation) throw new NotFoundError("invitation");
  const expired = invitation.status === "pending" && invitation.expiresAt <= (options.now ?? new Date());
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role ?? "member",
    workspace: invitation.workspace,
    inviter: invitation.inviter.name,
    status: expired ? "expired" : storedStatus.parse(invitation.status),
  };
}
