// The tables more than one page shows: trigger events, and deliveries with their outcome.
import Link from "next/link";
import { replayDeliveryAction } from "./endpoints/actions";

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

/** With `replayReturnsTo`, failed and ignored deliveries get a Replay button that comes back there. */
export function DeliveriesTable({ deliveries, replayReturnsTo }: { deliveries: DeliveryRow[]; replayReturnsTo?: string }) {
  return (
    <table>
      <thead>
        <tr>
          <th>Received</th>
          <th>Event</th>
          <th>Status</th>
          <th>What happened</th>
          {replayReturnsTo && <th></th>}
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
            {replayReturnsTo && (
              <td>
                {(delivery.status === "failed" || delivery.status === "ignored") && (
                  <form action={replayDeliveryAction}>
                    <input type="hidden" name="deliveryId" value={delivery.id} />
                    <input type="hidden" name="back" value={replayReturnsTo} />
                    <button type="submit" className="secondary">
                      Replay
                    </button>
                  </form>
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
