"use server";
import { randomBytes } from "node:crypto";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { auth } from "@/server/auth";
import { requireUser, requireWorkspace } from "@/server/session";
import { fieldErrorsOf, type FormState } from "./form-state";

const workspaceName = z.object({
  name: z.string().trim().min(1, "Give the workspace a name.").max(100, "Keep the name to 100 characters or fewer."),
});

function slugFor(name: string) {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "workspace";
  return `${base}-${randomBytes(3).toString("hex")}`;
}

export async function createWorkspaceAction(_state: FormState, form: FormData): Promise<FormState> {
  await requireUser();
  const parsed = workspaceName.safeParse({ name: form.get("name") });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error) };
  const workspace = await auth().api.createOrganization({
    body: { name: parsed.data.name, slug: slugFor(parsed.data.name) },
    headers: await headers(),
  });
  if (!workspace) return { error: "Hookloop could not create the workspace; try again." };
  await auth().api.setActiveOrganization({ body: { organizationId: workspace.id }, headers: await headers() });
  redirect("/endpoints");
}

export async function switchWorkspace(form: FormData) {
  const { memberships } = await requireWorkspace();
  const workspaceId = z.string().parse(form.get("workspaceId"));
  if (!memberships.some((membership) => membership.workspace.id === workspaceId)) redirect("/endpoints");
  await auth().api.setActiveOrganization({ body: { organizationId: workspaceId }, headers: await headers() });
  redirect("/endpoints");
}

export async function acceptInvitation(form: FormData) {
  await requireUser();
  const invitationId = z.string().min(1).parse(form.get("invitationId"));
  await auth().api.acceptInvitation({ body: { invitationId }, headers: await headers() });
  redirect("/endpoints");
}

const invite = z.object({ email: z.email("Enter the email address of the person to invite.") });

export async function inviteMember(_state: FormState, form: FormData): Promise<FormState> {
  const { role, workspace } = await requireWorkspace();
  if (role !== "owner" && role !== "admin") return { error: "Only the workspace's owner can invite people." };
  const parsed = invite.safeParse({
    email: String(form.get("email") ?? "")
      .trim()
      .toLowerCase(),
  });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    await auth().api.createInvitation({
      body: { email: parsed.data.email, role: "member", organizationId: workspace.id },
      headers: await headers(),
    });
  } catch (error) {
    return { error: error instanceof Error ? error.message : "Hookloop could not send the invitation." };
  }
  return { ok: true, message: `Invited ${parsed.data.email}. They join by signing up with that email.` };
}

export async function signOut() {
  await auth().api.signOut({ headers: await headers() });
  redirect("/sign-in");
}
