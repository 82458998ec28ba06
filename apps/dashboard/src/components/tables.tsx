// The tables more than one page shows: trigger events, and deliveries with their outcome.
import Link from "next/link";
import { replayRefusal } from "@hookloop/domain";

/** UTC, to the second: what Stripe's own dashboard lists events by. */
export const timestamp = (date: Date) => `${date.toISOString().replace("T", " ").slice(0, 19)} UTC`;

type TriggerEventRow = {
  id: string;
  name: string;
  properties: unknown;
  occurredAt: Date;
  contact?: { id: string; email: string };
};

export function TriggerEventsTable({ events }: { events: TriggerEventRow[] }) {
  const withContact = events.some((event) => event.contact);
  return (
    <table>
      <thead>
        <tr>
          <th>Name</th>
          {withContact && <th>Contact</th>}
          <th>Properties</th>
          <th>When</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={event.id} data-testid="event-row">
            <td>{event.name}</td>
            {withContact && <td>{event.contact && <Link href={`/audience/${event.contact.id}`}>{event.contact.email}</Link>}</td>}
            <td>
              <code>{JSON.stringify(event.properties)}</code>
            </td>
            <td>{timestamp(event.occurredAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type DeliveryRow = { id: string; type: string; status: string; reason: string | null; receivedAt: Date };

/** The server action that queues a delivery again, and the page to come back to. */
export type Replay = { action: (form: FormData) => Promise<void>; returnTo: string };

/** Replay is offered where it can succeed: failed and ignored deliveries of events Hookloop handles. */
export const replayable = (delivery: { status: string; type: string }) => replayRefusal(delivery) === null;

export function ReplayForm({ replay, deliveryId, secondary }: { replay: Replay; deliveryId: string; secondary?: boolean }) {
  return (
    <form action={replay.action}>
      <input type="hidden" name="deliveryId" value={deliveryId} />
      <input type="hidden" name="back" value={replay.returnTo} />
      <button type="submit" className={secondary ? "secondary" : undefined}>
        Replay
      </button>
    </form>
  );
}

/** With `replay`, failed and ignored deliveries get a Replay button that comes back to its page. */
export function DeliveriesTable({ deliveries, replay }: { deliveries: DeliveryRow[]; replay?: Replay }) {
  return (
    <table>
      <thead>
        <tr>
          <th>Received</th>
          <th>Event</th>
          <th>Status</th>
          <th>What happened</th>
          {replay && <th></th>}
        </tr>
      </thead>
      <tbody>
        {deliveries.map((delivery) => (
          <tr key={delivery.id} data-testid="delivery-row">
            <td>{timestamp(delivery.receivedAt)}</td>
            <td>
              <Link href={`/deliveries/${delivery.id}`}>{delivery.type}</Link>
            </td>
            <td>
              <span className={`badge ${delivery.status}`}>{delivery.status}</span>
            </td>
            <td>{delivery.reason ?? "Waiting for the worker."}</td>
            {replay && <td>{replayable(delivery) && <ReplayForm replay={replay} deliveryId={delivery.id} secondary />}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
