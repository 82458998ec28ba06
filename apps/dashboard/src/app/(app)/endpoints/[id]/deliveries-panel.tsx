// The endpoint page's deliveries: per-day chart, filters and search kept in the URL, pages by
// cursor, Replay where it can succeed, and bulk replay of what a failed or ignored filter selects.
import Link from "next/link";
import { countDeliveries, countDeliveriesByDay, filterDeliveries, getReplayProgress } from "@hookloop/core";
import { supportedEventTypes } from "@hookloop/domain";
import type { WorkspaceContext } from "@/server/action";
import { encodeCursor, hrefWith } from "@/components/list-query";
import { DeliveriesTable } from "@/components/tables";
import { replayDeliveryAction } from "../actions";
import { BulkReplay } from "./bulk-replay";
import { DeliveriesChart } from "./deliveries-chart";
import { deliveryFilterOf, filterValues, type DeliveryQuery } from "./delivery-query";
import { bulkReplayAction } from "./manage-actions";
import { ReplayProgress } from "./replay-progress";

const pageSize = 50;

export async function DeliveriesPanel({
  endpointId,
  path,
  query,
  workspaceId,
  inWorkspace,
}: {
  endpointId: string;
  /** The endpoint page's path. */
  path: string;
  query: DeliveryQuery;
  workspaceId: string;
  inWorkspace: WorkspaceContext["inWorkspace"];
}) {
  const filter = deliveryFilterOf(query, workspaceId, endpointId);
  const bulkStatus = query.status === "failed" || query.status === "ignored" ? query.status : undefined;
  const [page, perDay, replayable, progress] = await inWorkspace(
    async (tx) =>
      [
        await filterDeliveries(tx, { ...filter, limit: pageSize, ...(query.after ? { after: query.after } : {}) }),
        await countDeliveriesByDay(tx, { workspaceId, endpointId }),
        bulkStatus ? await countDeliveries(tx, { ...filter, replayable: true }) : 0,
        query.replay ? await getReplayProgress(tx, { workspaceId, endpointId, replayedAt: new Date(query.replay) }) : null,
      ] as const,
  );
  const filters = filterValues(query);
  const filtered = Object.values(filters).some(Boolean);
  const here = hrefWith(path, { ...filters, ...(query.after ? { after: encodeCursor(query.after) } : {}) });
  const types =
    query.type && !supportedEventTypes.includes(query.type as never) ? [...supportedEventTypes, query.type] : supportedEventTypes;

  return (
    <section className="panel" aria-labelledby="deliveries">
      <h2 id="deliveries">Deliveries</h2>
      <DeliveriesChart data={perDay} />
      {progress && query.replay && (
        <ReplayProgress
          initial={progress}
          url={`${path}/replay-progress?at=${encodeURIComponent(query.replay)}`}
          key={query.replay}
        />
      )}
      <form className="row toolbar" method="get" action={`${path}#deliveries`} aria-label="Filter deliveries">
        <label htmlFor="filter-status">Status</label>
        <select id="filter-status" name="status" defaultValue={query.status ?? ""}>
          <option value="">All</option>
          <option value="processed">Processed</option>
          <option value="queued">Queued</option>
          <option value="ignored">Ignored</option>
          <option value="failed">Failed</option>
        </select>
        <label htmlFor="filter-type">Type</label>
        <select id="filter-type" name="type" defaultValue={query.type ?? ""}>
          <option value="">All</option>
          {types.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
        <label htmlFor="filter-from">Received from</label>
        <input id="filter-from" name="from" type="date" defaultValue={query.from ?? ""} />
        <label htmlFor="filter-to">to</label>
        <input id="filter-to" name="to" type="date" defaultValue={query.to ?? ""} />
        <label htmlFor="filter-q">Search</label>
        <input id="filter-q" name="q" type="search" placeholder="evt_…, cus_… or an email" defaultValue={query.q ?? ""} />
        <button type="submit" className="secondary">
          Filter
        </button>
        {filtered && <Link href={`${path}#deliveries`}>Clear</Link>}
      </form>
      {bulkStatus && replayable > 0 && (
        <div className="toolbar">
          <BulkReplay
            action={bulkReplayAction}
            count={replayable}
            status={bulkStatus}
            fields={{ endpointId, ...filters }}
            key={`${here} ${replayable}`}
          />
        </div>
      )}
      {!bulkStatus && <p className="muted small">To replay many at once, filter by Failed or Ignored.</p>}
      {page.rows.length === 0 ? (
        <p className="empty">
          {filtered || query.after
            ? "No deliveries match these filters."
            : "No deliveries yet. Send a test event above, or trigger one in Stripe."}
        </p>
      ) : (
        <DeliveriesTable deliveries={page.rows} replay={{ action: replayDeliveryAction, returnTo: here }} />
      )}
      {(query.after || page.next) && (
        <nav className="row toolbar" aria-label="Deliveries pages">
          {query.after && <Link href={`${hrefWith(path, filters)}#deliveries`}>← Newest</Link>}
          {page.next && (
            <Link href={`${hrefWith(path, { ...filters, after: encodeCursor(page.next) })}#deliveries`}>Older deliveries →</Link>
          )}
        </nav>
      )}
    </section>
  );
}
