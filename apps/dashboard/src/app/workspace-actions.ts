"use server";
import { randomBytes } from "node:crypto";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { isAPIError } from "better-auth/api";
import { z } from "zod";
import { userAction, workspaceAction } from "@/server/action";
import { auth } from "@/server/auth";

function slugFor(name: string) {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "workspace";
  return `${base}-${randomBytes(3).toString("hex")}`;
}

export const createWorkspaceAction = userAction.form(
  {
    schema: z.object({
      name: z
        .string({ error: "Give the workspace a name." })
        .trim()
        .min(1, "Give the workspace a name.")
        .max(100, "Keep the name to 100 characters or fewer."),
    }),
  },
  async ({ name }) => {
    const workspace = await auth().api.createOrganization({ body: { name, slug: slugFor(name) }, headers: await headers() });
    if (!workspace) return { error: "Hookloop could not create the workspace; try again." };
    await auth().api.setActiveOrganization({ body: { organizationId: workspace.id }, headers: await headers() });
    redirect("/endpoints");
  },
);

export const switchWorkspace = workspaceAction.post(
  { schema: z.object({ workspaceId: z.string() }) },
  async ({ workspaceId }, { memberships }) => {
    if (!memberships.some((membership) => membership.workspace.id === workspaceId)) redirect("/endpoints");
    await auth().api.setActiveOrganization({ body: { organizationId: workspaceId }, headers: await headers() });
    redirect("/endpoints");
  },
);

/** Better-auth's refusals of an invitation, in words for the person holding it. */
function invitationRefusal(error: unknown): string {
  if (!isAPIError(error)) throw error;
  const code = (error.body as { code?: string } | undefined)?.code;
  if (code === "YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION")
    return "This invitation is for another email address. Sign in with the address it was sent to.";
  if (code === "EMAIL_VERIFICATION_REQUIRED_BEFORE_ACCEPTING_OR_REJECTING_INVITATION")
    return "Confirm your email address first: the link is in the email we sent when you signed up.";
  if (code === "INVITATION_NOT_FOUND") return "This invitation has expired, was withdrawn or was already used.";
  return error.message || "Hookloop could not accept the invitation.";
}

export const acceptInvitationAction = userAction.form(
  { schema: z.object({ invitationId: z.string().min(1) }) },
  async ({ invitationId }) => {
    try {
      // Makes the workspace joined the active one, too.
      await auth().api.acceptInvitation({ body: { invitationId }, headers: await headers() });
    } catch (error) {
      return { error: invitationRefusal(error) };
    }
    redirect("/endpoints");
  },
);

export const inviteMember = workspaceAction.form(
  {
    roles: { allow: ["owner", "admin"], refusal: "Only the workspace's owners and admins can invite people." },
    schema: z.object({
      email: z.preprocess(
        (email) => (typeof email === "string" ? email.trim().toLowerCase() : email),
        z.email("Enter the email address of the person to invite."),
      ),
      role: z.enum(["member", "admin"], { error: "Choose member or admin." }).default("member"),
    }),
  },
  async ({ email, role }, { workspace }) => {
    try {
      await auth().api.createInvitation({
        body: { email, role, organizationId: workspace.id, resend: true },
        headers: await headers(),
      });
    } catch (error) {
      if (!isAPIError(error)) throw error;
      return { error: error.message || "Hookloop could not send the invitation." };
    }
    return {
      ok: true,
      message: `Invited ${email} as ${role === "admin" ? "an admin" : "a member"}. We emailed them a link to join.`,
    };
  },
);

/** Needs no guard: signing out without a session only lands on the sign-in page. */
export async function signOut() {
  await auth().api.signOut({ headers: await headers() });
  redirect("/sign-in");
}
