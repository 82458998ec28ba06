import { normaliseEmail } from "@hookloop/domain";
import type { PagePosition } from "../contact/filter-contacts";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type FilterTriggerEventsOptions = {
  workspaceId: string;
  name?: string;
  contactId?: string;
  /** Only the events of the contact with this email (trimmed and lower-cased, as contacts keep it). */
  contactEmail?: string;
  /** Only events recorded at or after this time. */
  since?: Date;
  /** Only events recorded before this time. */
  before?: Date;
  limit: number;
  after?: PagePosition;
};

/**
 * Newest first, keyset-paginated on (created_at, id), each with its contact's id and email: an
 * event recorded while someone pages lands before their first page, never on a later one.
 */
export async function filterTriggerEvents(tx: WorkspaceTx, options: FilterTriggerEventsOptions) {
  const { after } = options;
  const rows = await tx.triggerEvent.findMany({
    where: {
      workspaceId: options.workspaceId,
      ...(options.name ? { name: options.name } : {}),
      ...(options.contactId ? { contactId: options.contactId } : {}),
      ...(options.contactEmail ? { contact: { email: normaliseEmail(options.contactEmail) } } : {}),
      ...(options.since || options.before
        ? { createdAt: { ...(options.since ? { gte: options.since } : {}), ...(options.before ? { lt: options.before } : {}) } }
        : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit + 1,
    select: {
      id: true,
      name: true,
      properties: true,
      stripeEventId: true,
      occurredAt: true,
      createdAt: true,
      contact: { select: { id: true, email: true } },
    },
  });
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > options.limit && last ? { at: last.createdAt, id: last.id } : null };
}
