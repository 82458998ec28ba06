import { listTriggerEventNames, listTriggerEvents } from "@hookloop/core";
import { triggerNameSchema } from "@hookloop/domain";
import { requireWorkspace } from "@/server/session";
import { TriggerEventsTable } from "@/components/tables";

export default async function EventsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const parsedName = triggerNameSchema.safeParse((await searchParams).name ?? "");
  const name = parsedName.success ? parsedName.data : undefined;
  const { workspace, inWorkspace } = await requireWorkspace();
  const [events, names] = await inWorkspace(
    async (tx) =>
      [
        await listTriggerEvents(tx, { workspaceId: workspace.id, name, limit: 100 }),
        await listTriggerEventNames(tx, { workspaceId: workspace.id, limit: 100 }),
      ] as const,
  );
  return (
    <>
      <h1>Events</h1>
      <form method="get" className="row toolbar">
        <label htmlFor="name">Trigger event</label>
        <select id="name" name="name" defaultValue={name ?? ""}>
          <option value="">All</option>
          {names.map((entry) => (
            <option key={entry} value={entry}>
              {entry}
            </option>
          ))}
        </select>
        <button type="submit" className="secondary">
          Filter
        </button>
      </form>
      <div className="panel">
        {events.length === 0 ? (
          <p className="empty">
            No trigger events yet. Map a Stripe event to a trigger name on an endpoint, then send a test event.
          </p>
        ) : (
          <TriggerEventsTable events={events} />
        )}
      </div>
    </>
  );
}
