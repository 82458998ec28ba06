import "server-only";
// Changes to members go through better-auth's organization plugin, which writes its rows through
// its own adapter, outside any transaction of ours: none of its hooks runs inside the write. So
// the audit entry is written by better-auth's documented after hook (`hooks.after`), once the
// plugin's endpoint has answered and its write is committed, in a transaction of its own: as close
// as the library allows. The hook sees every path to these changes (the dashboard's actions and
// better-auth's own HTTP routes under /api/auth), with the session of whoever asked.
import { createAuthMiddleware, getSessionFromCtx, isAPIError } from "better-auth/api";
import { recordAudit, withWorkspace, type AuditActor } from "@hookloop/core";
import type { AuditAction } from "@hookloop/domain";
import { userActor } from "./audit-actor";
import { services } from "./services";

type AuthHookContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

type MemberRow = { id: string; userId: string; role: string; organizationId?: string; workspaceId?: string };
type InvitationRow = { id: string; email: string; role?: string | null; organizationId?: string; workspaceId?: string };

const workspaceOf = (row: { organizationId?: string; workspaceId?: string }) => row.organizationId ?? row.workspaceId;

/**
 * The role a member had before a role change, read by the before hook and taken by the after hook
 * of the same request (keyed by member id: two changes to one member at the same instant would
 * each still record their new role, and one of them the older role).
 */
const previousRoles = new Map<string, string>();

export const memberChangePaths = [
  "/organization/invite-member",
  "/organization/accept-invitation",
  "/organization/update-member-role",
  "/organization/remove-member",
  "/organization/leave",
] as const;

/** For the before hook: what only the state before a change says (a member's previous role). */
export async function beforeMemberChange(ctx: AuthHookContext): Promise<void> {
  if (ctx.path !== "/organization/update-member-role") return;
  const memberId = (ctx.body as { memberId?: unknown } | undefined)?.memberId;
  if (typeof memberId !== "string") return;
  const member = await services().db.member.findUnique({ where: { id: memberId }, select: { role: true } });
  if (member) previousRoles.set(memberId, member.role);
}

async function emailOf(userId: string): Promise<string | null> {
  const user = await services().db.user.findUnique({ where: { id: userId }, select: { email: true } });
  return user?.email ?? null;
}

type Entry = {
  workspaceId: string;
  action: AuditAction;
  target: { type: string; id: string; label: string | null };
  details: Record<string, string | null>;
};

/** What a successful member change's answer says happened, as an audit entry. */
async function entryFor(path: string, returned: unknown, actorEmail: string): Promise<Entry | null> {
  switch (path) {
    case "/organization/invite-member": {
      const invitation = returned as InvitationRow;
      const workspaceId = workspaceOf(invitation);
      if (!workspaceId) return null;
      return {
        workspaceId,
        action: "member.invited",
        target: { type: "invitation", id: invitation.id, label: invitation.email },
        details: { role: invitation.role ?? "member" },
      };
    }
    case "/organization/accept-invitation": {
      const { member, invitation } = returned as { member: MemberRow; invitation: InvitationRow };
      const workspaceId = workspaceOf(member);
      if (!workspaceId) return null;
      return {
        workspaceId,
        action: "member.joined",
        target: { type: "member", id: member.id, label: actorEmail },
        details: { role: member.role, invitationId: invitation.id },
      };
    }
    case "/organization/update-member-role": {
      const member = returned as MemberRow;
      const workspaceId = workspaceOf(member);
      if (!workspaceId) return null;
      const previous = previousRoles.get(member.id) ?? null;
      previousRoles.delete(member.id);
      return {
        workspaceId,
        action: "member.role_changed",
        target: { type: "member", id: member.id, label: await emailOf(member.userId) },
        details: { role: member.role, previousRole: previous },
      };
    }
    case "/organization/remove-member": {
      const { member } = returned as { member: MemberRow };
      const workspaceId = workspaceOf(member);
      if (!workspaceId) return null;
      return {
        workspaceId,
        action: "member.removed",
        target: { type: "member", id: member.id, label: await emailOf(member.userId) },
        details: { role: member.role },
      };
    }
    case "/organization/leave": {
      const member = returned as MemberRow;
      const workspaceId = workspaceOf(member);
      if (!workspaceId) return null;
      return {
        workspaceId,
        action: "member.left",
        target: { type: "member", id: member.id, label: actorEmail },
        details: { role: member.role },
      };
    }
    default:
      return null;
  }
}

/** For the after hook: records a member change that succeeded, with who asked for it. */
export async function afterMemberChange(ctx: AuthHookContext): Promise<void> {
  if (!(memberChangePaths as readonly string[]).includes(ctx.path)) return;
  const returned = ctx.context.returned;
  if (returned === undefined || returned === null || isAPIError(returned) || returned instanceof Response) {
    if (ctx.path === "/organization/update-member-role") {
      const memberId = (ctx.body as { memberId?: unknown } | undefined)?.memberId;
      if (typeof memberId === "string") previousRoles.delete(memberId);
    }
    return;
  }
  const session = await getSessionFromCtx(ctx);
  if (!session) return;
  const actor: AuditActor = userActor(session.user);
  const entry = await entryFor(ctx.path, returned, session.user.email);
  if (!entry) return;
  await withWorkspace(services().db, entry.workspaceId, (tx) =>
    recordAudit(tx, {
      workspaceId: entry.workspaceId,
      actor,
      action: entry.action,
      target: entry.target,
      details: entry.details,
    }),
  );
}
