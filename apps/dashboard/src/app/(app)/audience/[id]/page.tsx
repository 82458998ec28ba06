import Link from "next/link";
import { getContact } from "@hookloop/core";
import { requireWorkspace } from "@/server/session";

export default async function ContactPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { workspace, inWorkspace } = await requireWorkspace();
  const contact = await inWorkspace((tx) => getContact(tx, { workspaceId: workspace.id, contactId: id }));
  return (
    <>
      <p>
        <Link href="/audience">← Audience</Link>
      </p>
      <h1>{contact.email}</h1>
      <p className="muted">
        {[contact.firstName, contact.lastName].filter(Boolean).join(" ") || "No name"} ·{" "}
        {contact.subscribed ? "subscribed" : "unsubscribed"} · source {contact.source}
        {contact.stripeCustomerId && (
          <>
            {" "}
            · Stripe customer <code>{contact.stripeCustomerId}</code>
          </>
        )}
      </p>
      <div className="panel">
        <h2>Trigger events</h2>
        {contact.triggerEvents.length === 0 ? (
          <p className="empty">No trigger events for this contact yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Properties</th>
                <th>When</th>
              </tr>
            </thead>
            <tbody>
              {contact.triggerEvents.map((event) => (
                <tr key={event.id}>
                  <td>{event.name}</td>
                  <td>
                    <code>{JSON.stringify(event.properties)}</code>
                  </td>
                  <td>{event.occurredAt.toISOString().replace("T", " ").slice(0, 19)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="panel">
        <h2>Deliveries that changed this contact</h2>
        <table>
          <thead>
            <tr>
              <th>Received</th>
              <th>Event</th>
              <th>Status</th>
              <th>What happened</th>
            </tr>
          </thead>
          <tbody>
            {contact.deliveries.map((delivery) => (
              <tr key={delivery.id}>
                <td>{delivery.receivedAt.toISOString().replace("T", " ").slice(0, 19)}</td>
                <td>
                  <Link href={`/deliveries/${delivery.id}`}>{delivery.type}</Link>
                </td>
                <td>
                  <span className={`badge ${delivery.status}`}>{delivery.status}</span>
                </td>
                <td>{delivery.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
