// The endpoint page's deliveries, as its URL asks for them: filters, search and the page.
import type { DeliveryFilter } from "@hookloop/core";
import { z } from "zod";
import { day, dayRange, pageCursor } from "@/components/list-query";

export const deliveryStatuses = ["queued", "processed", "ignored", "failed"] as const;

export const deliveryQuery = z.object({
  status: z.enum(deliveryStatuses).optional().catch(undefined),
  type: z.string().max(100).optional().catch(undefined),
  from: day,
  to: day,
  q: z.string().trim().max(200).optional().catch(undefined),
  after: pageCursor,
  /** The bulk replay whose progress the page shows: its replayed_at. */
  replay: z.iso.datetime().optional().catch(undefined),
});

export type DeliveryQuery = z.output<typeof deliveryQuery>;

/** The filter the query names, for listDeliveries, countDeliveries and replayDeliveries alike. */
export function deliveryFilterOf(query: DeliveryQuery, workspaceId: string, endpointId: string): DeliveryFilter {
  const range = dayRange(query.from, query.to);
  return {
    workspaceId,
    endpointId,
    ...(query.status ? { status: query.status } : {}),
    ...(query.type ? { type: query.type } : {}),
    ...(range.from ? { receivedFrom: range.from } : {}),
    ...(range.before ? { receivedBefore: range.before } : {}),
    ...(query.q ? { search: query.q } : {}),
  };
}

/** The query's filters as URL values (the page and the replay left out). */
export const filterValues = (query: DeliveryQuery) => ({
  status: query.status,
  type: query.type,
  from: query.from,
  to: query.to,
  q: query.q,
});
