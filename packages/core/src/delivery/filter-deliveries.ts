import type { PagePosition } from "../contact/filter-contacts";
import type { WorkspaceTx } from "../workspace/with-workspace";
import type { DeliveryFilter } from "./delivery-filter";
import { listDeliveries } from "./list-deliveries";

export type FilterDeliveriesOptions = DeliveryFilter & { limit: number; after?: PagePosition };

/** Newest first, keyset-paginated on (received_at, id), without payloads: a page and where the next one starts. */
export async function filterDeliveries(tx: WorkspaceTx, options: FilterDeliveriesOptions) {
  // One more than asked for says whether there is a next page.
  const rows = await listDeliveries(tx, { ...options, limit: options.limit + 1 });
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > options.limit && last ? { at: last.receivedAt, id: last.id } : null };
}
