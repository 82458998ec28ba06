"use server";
// Members, changed through better-auth's organization API, which checks the same rules again: the
// domain's memberChangeRefusal says plainly what it would refuse, and whatever it refuses anyway
// comes back to the form in words, never as an error page.
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { isAPIError } from "better-auth/api";
import { z } from "zod";
import { NotFoundError, listMembers } from "@hookloop/core";
import { memberChangeRefusal, workspaceRoles, type MemberChange } from "@hookloop/domain";
import { ownersAndAdmins, recordId, workspaceAction, type WorkspaceContext } from "@/server/action";
import { auth } from "@/server/auth";

const memberId = recordId("member", z.string().regex(/^[A-Za-z0-9_-]{1,64}$/));

/** Better-auth's refusals of a change to members, in words for whoever asked. */
function memberRefusal(error: unknown): string {
  if (!isAPIError(error)) throw error;
  switch ((error.body as { code?: string } | undefined)?.code) {
    case "YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER":
    case "YOU_CANNOT_LEAVE_THE_ORGANIZATION_WITHOUT_AN_OWNER":
      return "A workspace always keeps an owner: make another member an owner first.";
    case "YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER":
      return "Only an owner can make someone an owner or change an owner's role.";
    case "YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_MEMBER":
      return "Only the workspace's owners and admins can remove members.";
    case "MEMBER_NOT_FOUND":
      return "This person is no longer a member of the workspace.";
    default:
      return "Hookloop could not make that change; reload the page and try again.";
  }
}

/**
 * The member changed (`targetId`, or the one asking) and why the change is refused, if it is,
 * judged on the workspace's members as they are now.
 */
async function check({ workspace, user, inWorkspace }: WorkspaceContext, change: MemberChange, targetId?: string) {
  const members = await inWorkspace((tx) => listMembers(tx, { workspaceId: workspace.id }));
  const actor = members.find((member) => member.userId === user.id);
  const target = targetId === undefined ? actor : members.find((member) => member.id === targetId);
  if (!actor || !target) throw new NotFoundError("member");
  const refusal = memberChangeRefusal({
    actor: { memberId: actor.id, role: actor.role },
    target: { memberId: target.id, role: target.role, name: target.user.name },
    change,
    owners: members.filter((member) => member.role === "owner").length,
  });
  return { target, refusal };
}

export const changeRoleAction = workspaceAction.form(
  {
    roles: ownersAndAdmins("change roles"),
    schema: z.object({ memberId, role: z.enum(workspaceRoles, { error: "Choose owner, admin or member." }) }),
  },
  async ({ memberId, role }, context) => {
    const { target, refusal } = await check(context, { kind: "role", role }, memberId);
    if (refusal) return { error: refusal };
    if (target.role === role) return { ok: true, message: `${target.user.name} is already ${article(role)}.` };
    try {
      await auth().api.updateMemberRole({
        body: { memberId, role, organizationId: context.workspace.id },
        headers: await headers(),
      });
    } catch (error) {
      return { error: memberRefusal(error) };
    }
    revalidatePath("/", "layout");
    return { ok: true, message: `${target.user.name} is now ${article(role)}.` };
  },
);

export const removeMemberAction = workspaceAction.form(
  { roles: ownersAndAdmins("remove members"), schema: z.object({ memberId }) },
  async ({ memberId }, context) => {
    const { refusal } = await check(context, { kind: "remove" }, memberId);
    if (refusal) return { error: refusal };
    try {
      await auth().api.removeMember({
        body: { memberIdOrEmail: memberId, organizationId: context.workspace.id },
        headers: await headers(),
      });
    } catch (error) {
      return { error: memberRefusal(error) };
    }
    // Their row leaves the table, which is how the page answers.
    revalidatePath("/settings");
    return { ok: true };
  },
);

export const leaveWorkspaceAction = workspaceAction.form({ schema: z.object({}) }, async (_input, context) => {
  const { refusal } = await check(context, { kind: "leave" });
  if (refusal) return { error: refusal };
  try {
    await auth().api.leaveOrganization({ body: { organizationId: context.workspace.id }, headers: await headers() });
  } catch (error) {
    return { error: memberRefusal(error) };
  }
  // Their next workspace, or onboarding when this was their only one.
  redirect("/endpoints");
});

const article = (role: string) => (role === "admin" ? "an admin" : `a ${role}`);
