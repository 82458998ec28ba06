import type { WorkspaceTx } from "../workspace/with-workspace";

export type ListMembersOptions = { workspaceId: string };

/** The people in a workspace, in the order they joined, with their role. */
export async function listMembers(tx: WorkspaceTx, options: ListMembersOptions) {
  return tx.member.findMany({
    where: { workspaceId: options.workspaceId },
    orderBy: { createdAt: "asc" },
    select: { id: true, userId: true, role: true, user: { select: { name: true, email: true } } },
  });
}
