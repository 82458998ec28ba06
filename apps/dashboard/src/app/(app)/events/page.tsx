import Link from "next/link";
import { filterTriggerEvents, listTriggerEventNames } from "@hookloop/core";
import { triggerNameSchema } from "@hookloop/domain";
import { z } from "zod";
import { requireWorkspace } from "@/server/session";
import { day, dayRange, encodeCursor, hrefWith, pageCursor } from "@/components/list-query";
import { TriggerEventsTable } from "@/components/tables";

const pageSize = 50;

/** What the URL asks for; anything that does not parse is left out. */
const eventsQuery = z.object({
  name: z.string().pipe(triggerNameSchema).optional().catch(undefined),
  contact: z.string().trim().max(320).optional().catch(undefined),
  from: day,
  to: day,
  after: pageCursor,
});

export default async function EventsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const query = eventsQuery.parse(await searchParams);
  const range = dayRange(query.from, query.to);
  const { workspace, inWorkspace } = await requireWorkspace();
  const [page, names] = await inWorkspace(
    async (tx) =>
      [
        await filterTriggerEvents(tx, {
          workspaceId: workspace.id,
          limit: pageSize,
          ...(query.name ? { name: query.name } : {}),
          ...(query.contact ? { contactEmail: query.contact } : {}),
          ...(range.from ? { since: range.from } : {}),
          ...(range.before ? { before: range.before } : {}),
          ...(query.after ? { after: query.after } : {}),
        }),
        await listTriggerEventNames(tx, { workspaceId: workspace.id, limit: 100 }),
      ] as const,
  );
  const filters = { name: query.name, contact: query.contact, from: query.from, to: query.to };
  const filtered = Object.values(filters).some(Boolean);
  return (
    <>
      <h1>Events</h1>
      <form method="get" className="row toolbar" aria-label="Filter events">
        <label htmlFor="name">Trigger event</label>
        <select id="name" name="name" defaultValue={query.name ?? ""}>
          <option value="">All</option>
          {names.map((entry) => (
            <option key={entry} value={entry}>
              {entry}
            </option>
          ))}
        </select>
        <label htmlFor="contact">Contact</label>
        <input id="contact" name="contact" type="email" placeholder="email" defaultValue={query.contact ?? ""} />
        <label htmlFor="from">From</label>
        <input id="from" name="from" type="date" defaultValue={query.from ?? ""} />
        <label htmlFor="to">to</label>
        <input id="to" name="to" type="date" defaultValue={query.to ?? ""} />
        <button type="submit" className="secondary">
          Filter
        </button>
        {filtered && <Link href="/events">Clear</Link>}
      </form>
      <div className="panel">
        {page.rows.length === 0 ? (
          <p className="empty">
            {filtered || query.after
              ? "No trigger events match these filters."
              : "No trigger events yet. Map a Stripe event to a trigger name on an endpoint, then send a test event."}
          </p>
        ) : (
          <TriggerEventsTable events={page.rows} />
        )}
        {(query.after || page.next) && (
          <nav className="row toolbar" aria-label="Events pages">
            {query.after && <Link href={hrefWith("/events", filters)}>← Newest</Link>}
            {page.next && <Link href={hrefWith("/events", { ...filters, after: encodeCursor(page.next) })}>Older events →</Link>}
          </nav>
        )}
      </div>
    </>
  );
}
