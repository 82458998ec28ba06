import { toBillingState } from "@hookloop/domain";
import type { WorkspaceTx } from "../workspace/with-workspace";
import { billingWhere, type BillingFilter } from "./filter-contacts";

export type ListContactsOptions = BillingFilter & {
  workspaceId: string;
  /** Matches email, first or last name, case-insensitively. */
  search?: string;
  limit?: number;
  /** The id of the last contact of the previous page. */
  after?: string;
};

/**
 * Newest first, keyset-paginated on (created_at, id) so page 1,000 costs what page 1 does. Each
 * contact carries its billing state under `billing`, every field present (none yet reads as none).
 * The search and the billing filter hold on every page.
 */
export async function listContacts(tx: WorkspaceTx, options: ListContactsOptions) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const search = options.search?.trim();
  const cursor = options.after
    ? await tx.contact.findFirst({
        where: { id: options.after, workspaceId: options.workspaceId },
        select: { id: true, createdAt: true },
      })
    : null;
  const rows = await tx.contact.findMany({
    where: {
      workspaceId: options.workspaceId,
      AND: [
        ...(search
          ? [
              {
                OR: [
                  { email: { contains: search, mode: "insensitive" as const } },
                  { firstName: { contains: search, mode: "insensitive" as const } },
                  { lastName: { contains: search, mode: "insensitive" as const } },
                ],
              },
            ]
          : []),
        ...billingWhere(options),
        ...(cursor
          ? [{ OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] }]
          : []),
      ],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: {
      id: true,
      email: true,
      firstName: true,
      lastName: true,
      subscribed: true,
      source: true,
      stripeCustomerId: true,
      billing: true,
      createdAt: true,
      updatedAt: true,
    },
  });
  const page = rows.slice(0, limit).map((row) => ({ ...row, billing: toBillingState(row.billing) }));
  return { contacts: page, nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
