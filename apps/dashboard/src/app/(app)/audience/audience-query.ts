// What the Audience's URL says to show (search, subscription status, plan, page), read the same
// way by the page and its CSV export, so the export holds exactly what the page lists.
import { subscriptionStatusRank } from "@hookloop/domain";
import { z } from "zod";

/** Every status the filter offers, most relevant first, then "none": contacts with no subscription. */
export const statusChoices = [...subscriptionStatusRank, "incomplete_expired", "none"] as const;

export const audienceQuery = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  status: z.enum(statusChoices).optional().catch(undefined),
  plan: z.string().trim().min(1).max(200).optional().catch(undefined),
  after: z.uuid().optional().catch(undefined),
});
export type AudienceQuery = z.infer<typeof audienceQuery>;

/** The query as listContacts' options. */
export const audienceFilter = ({ q, status, plan }: AudienceQuery) => ({
  search: q,
  ...(status ? { subscriptionStatus: status === "none" ? null : status } : {}),
  ...(plan ? { plan } : {}),
});

/** The same filters (never the page) as a query string, with its "?" when it has any. */
export function filterQueryString({ q, status, plan }: AudienceQuery, extra: Record<string, string> = {}) {
  const params = new URLSearchParams({ ...(q ? { q } : {}), ...(status ? { status } : {}), ...(plan ? { plan } : {}), ...extra });
  const text = params.toString();
  return text ? `?${text}` : "";
}
