/** A member's role in a workspace, as better-auth's organization plugin stores it. */
export const workspaceRoles = ["owner", "admin", "member"] as const;
export type WorkspaceRole = (typeof workspaceRoles)[number];

/**
 * The roles that change the workspace's configuration: endpoints, secrets, destinations, API keys
 * and members. Members see everything and may replay, retry and send tests, which change nothing.
 */
export const managerRoles = ["owner", "admin"] as const satisfies readonly WorkspaceRole[];
export const managesWorkspace = (role: string) => (managerRoles as readonly string[]).includes(role);

export type MemberChange = { kind: "role"; role: WorkspaceRole } | { kind: "remove" } | { kind: "leave" };

export type MemberChangeRequest = {
  /** Who asks; for "leave", also the one leaving. */
  actor: { memberId: string; role: string };
  /** The member changed or removed (the actor, when leaving). */
  target: { memberId: string; role: string; name: string };
  change: MemberChange;
  /** How many owners the workspace has now. */
  owners: number;
};

/**
 * Why a change to a workspace's members is refused, in words for whoever asked, or null when it
 * is allowed. The same rules better-auth's organization plugin enforces (it stays the check that
 * counts), said plainly: owners and admins change members, only an owner makes or unmakes an
 * owner or removes one, and a workspace always keeps an owner.
 */
export function memberChangeRefusal({ actor, target, change, owners }: MemberChangeRequest): string | null {
  const lastOwner = target.role === "owner" && owners <= 1;
  if (change.kind === "leave") {
    return lastOwner
      ? "You are the only owner of this workspace, so you cannot leave it: make another member an owner first."
      : null;
  }
  if (!managesWorkspace(actor.role)) {
    return change.kind === "role"
      ? "Only the workspace's owners and admins can change roles."
      : "Only the workspace's owners and admins can remove members.";
  }
  if (change.kind === "remove") {
    if (target.memberId === actor.memberId) return "To leave the workspace yourself, use Leave workspace.";
    if (target.role === "owner" && actor.role !== "owner") return "Only an owner can remove an owner.";
    if (lastOwner) return `${target.name} is the workspace's only owner and cannot be removed.`;
    return null;
  }
  if ((target.role === "owner" || change.role === "owner") && actor.role !== "owner") {
    return "Only an owner can make someone an owner or change an owner's role.";
  }
  if (lastOwner && change.role !== "owner") {
    return `${target.memberId === actor.memberId ? "You are" : `${target.name} is`} the workspace's only owner: make another member an owner first.`;
  }
  return null;
}
