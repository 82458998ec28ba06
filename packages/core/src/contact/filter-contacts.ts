import { Prisma } from "@hookloop/db/client";
import { normaliseEmail } from "@hookloop/domain";
import type { WorkspaceTx } from "../workspace/with-workspace";

/** Where a page ended: the last row's creation time and id. */
export type PagePosition = { at: Date; id: string };

/** Contacts by their billing state (@hookloop/domain billingStateSchema), as the Audience filters them. */
export type BillingFilter = {
  /** Exactly this subscription status; null: contacts with no subscription. */
  subscriptionStatus?: string | null;
  /** Exactly this plan name (as billing.plan has it). */
  plan?: string;
};

/**
 * The billing filter as a Prisma condition. No index serves it: services query under row-level
 * security, and Postgres keeps a condition calling a function that is not leakproof (`->>`, `#>`)
 * out of index scans on such a table, so an expression index on billing would not be used. The
 * workspace's (created_at, id) index pages through rows, filtering as it goes (README.md, Billing
 * fields, has the figures).
 */
export function billingWhere(filter: BillingFilter): Prisma.ContactWhereInput[] {
  const conditions: Prisma.ContactWhereInput[] = [];
  if (filter.subscriptionStatus === null) {
    conditions.push({
      OR: [{ billing: { equals: Prisma.DbNull } }, { billing: { path: ["subscriptionStatus"], equals: Prisma.AnyNull } }],
    });
  } else if (filter.subscriptionStatus !== undefined) {
    conditions.push({ billing: { path: ["subscriptionStatus"], equals: filter.subscriptionStatus } });
  }
  if (filter.plan !== undefined) conditions.push({ billing: { path: ["plan"], equals: filter.plan } });
  return conditions;
}

export type FilterContactsOptions = BillingFilter & {
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
      AND: [
        ...billingWhere(options),
        ...(after ? [{ OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] }] : []),
      ],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit + 1,
    omit: { workspaceId: true, firstEventId: true },
  });
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > options.limit && last ? { at: last.createdAt, id: last.id } : null };
}
