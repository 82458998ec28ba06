import { normaliseEmail } from "@hookloop/domain";
import type { WorkspaceTx } from "../workspace/with-workspace";

/** Where a page ended: the last row's creation time and id. */
export type PagePosition = { at: Date; id: string };

export type FilterContactsOptions = {
  workspaceId: string;
  /** Exactly this email (trimmed and lower-cased, as contacts keep it). */
  email?: string;
  subscribed?: boolean;
  /** Only contacts changed at or after this time. */
  updatedSince?: Date;
  limit: number;
  after?: PagePosition;
};

/**
 * Newest first, keyset-paginated on (created_at, id): a contact made while a client pages lands
 * before its first page and a deleted one leaves a gap, so a page never repeats or skips any
 * other contact. Rows carry every column the contact record shows (billing included).
 */
export async function filterContacts(tx: WorkspaceTx, options: FilterContactsOptions) {
  const { after } = options;
  const rows = await tx.contact.findMany({
    where: {
      workspaceId: options.workspaceId,
      ...(options.email !== undefined ? { email: normaliseEmail(options.email) } : {}),
      ...(options.subscribed !== undefined ? { subscribed: options.subscribed } : {}),
      ...(options.updatedSince ? { updatedAt: { gte: options.updatedSince } } : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit + 1,
    omit: { workspaceId: true, firstEventId: true },
  });
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > options.limit && last ? { at: last.createdAt, id: last.id } : null };
}
