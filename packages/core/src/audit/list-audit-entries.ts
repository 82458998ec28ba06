import type { Prisma } from "@hookloop/db/client";
import { auditActionKindOf, auditActionNames } from "@hookloop/domain";
import type { PagePosition } from "../contact/filter-contacts";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type ListAuditEntriesOptions = {
  workspaceId: string;
  /** Only actions of this kind (the part before the dot: `endpoint`, `member`, …). */
  kind?: string;
  /** Only this exact action. */
  action?: string;
  /** Only entries whose actor's label (an email, "API key …", "CLI") contains this, case aside. */
  actor?: string;
  /** Made at or after this moment… */
  from?: Date;
  /** …and before this one. */
  to?: Date;
  limit: number;
  /** The position of the last entry of the page before. */
  after?: PagePosition;
};

export type AuditEntryRow = Awaited<ReturnType<typeof listAuditEntries>>["rows"][number];

/**
 * The workspace's audit log, newest first, keyset-paginated on (created_at, id): an entry written
 * while someone pages lands before their first page, so a page never repeats or skips one.
 */
export async function listAuditEntries(tx: WorkspaceTx, options: ListAuditEntriesOptions) {
  const where: Prisma.AuditEntryWhereInput[] = [{ workspaceId: options.workspaceId }];
  // The kind's actions by name, not a LIKE: under row-level security Postgres cannot estimate a
  // LIKE from the column's statistics and would scan the table instead of the workspace's index.
  if (options.kind)
    where.push({ action: { in: auditActionNames.filter((action) => auditActionKindOf(action) === options.kind) } });
  if (options.action) where.push({ action: options.action });
  if (options.actor) where.push({ actorLabel: { contains: options.actor, mode: "insensitive" } });
  if (options.from) where.push({ createdAt: { gte: options.from } });
  if (options.to) where.push({ createdAt: { lt: options.to } });
  if (options.after) {
    const { at, id } = options.after;
    where.push({ OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: id } }] });
  }
  // One more than asked for says whether there is a next page.
  const rows = await tx.auditEntry.findMany({
    where: { AND: where },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit + 1,
    select: {
      id: true,
      createdAt: true,
      actorKind: true,
      actorId: true,
      actorLabel: true,
      action: true,
      targetType: true,
      targetId: true,
      targetLabel: true,
      details: true,
    },
  });
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > options.limit && last ? { at: last.createdAt, id: last.id } : null };
}
