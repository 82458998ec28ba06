import Link from "next/link";
import { getContact } from "@hookloop/core";
import { toBillingState } from "@hookloop/domain";
import { requireWorkspace } from "@/server/session";
import { BillingPanel } from "@/components/billing";
import { DeliveriesTable, TriggerEventsTable } from "@/components/tables";

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
      <BillingPanel billing={toBillingState(contact.billing)} />
      <div className="panel">
        <h2>Trigger events</h2>
        {contact.triggerEvents.length === 0 ? (
          <p className="empty">No trigger events for this contact yet.</p>
        ) : (
          <TriggerEventsTable events={contact.triggerEvents} />
        )}
      </div>
      <div className="panel">
        <h2>Deliveries that changed this contact</h2>
        <DeliveriesTable deliveries={contact.deliveries} />
      </div>
    </>
  );
}
