"use server";
import { randomBytes } from "node:crypto";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
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

export const acceptInvitation = userAction.post(
  { schema: z.object({ invitationId: z.string().min(1) }) },
  async ({ invitationId }) => {
    await auth().api.acceptInvitation({ body: { invitationId }, headers: await headers() });
    redirect("/endpoints");
  },
);

export const inviteMember = workspaceAction.form(
  {
    roles: { allow: ["owner", "admin"], refusal: "Only the workspace's owner can invite people." },
    schema: z.object({
      email: z.preprocess(
        (email) => (typeof email === "string" ? email.trim().toLowerCase() : email),
        z.email("Enter the email address of the person to invite."),
      ),
    }),
  },
  async ({ email }, { workspace }) => {
    try {
      await auth().api.createInvitation({
        body: { email, role: "member", organizationId: workspace.id },
        headers: await headers(),
      });
    } catch (error) {
      return { error: error instanceof Error ? error.message : "Hookloop could not send the invitation." };
    }
    return { ok: true, message: `Invited ${email}. They join by signing up with that email.` };
  },
);

/** Needs no guard: signing out without a session only lands on the sign-in page. */
export async function signOut() {
  await auth().api.signOut({ headers: await headers() });
  redirect("/sign-in");
}
