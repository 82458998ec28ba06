import type { DbClient } from "@hookloop/db/client";

export type ListMembershipsOptions = { userId: string };

/**
 * The workspaces a user belongs to, oldest membership first, with their role in each. Takes a
 * client, not a WorkspaceTx: it is how the dashboard learns which workspace a session may enter.
 */
export async function listMemberships(db: DbClient, options: ListMembershipsOptions) {
  return db.member.findMany({
    where: { userId: options.userId },
    orderBy: { createdAt: "asc" },
    select: { role: true, workspace: { select: { id: true, name: true } } },
  });
}
