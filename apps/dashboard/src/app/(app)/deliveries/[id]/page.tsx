import Link from "next/link";
import { getDelivery } from "@hookloop/core";
import { requireWorkspace } from "@/server/session";
import { ReplayForm, replayable, timestamp } from "@/components/tables";
import { replayDeliveryAction } from "../../endpoints/actions";

export default async function DeliveryPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { workspace, inWorkspace } = await requireWorkspace();
  const delivery = await inWorkspace((tx) => getDelivery(tx, { workspaceId: workspace.id, deliveryId: id }));
  const endpointDeleted = Boolean(delivery.endpoint.deletedAt);
  return (
    <>
      <p>
        {endpointDeleted ? (
          <Link href="/endpoints">← Endpoints</Link>
        ) : (
          <Link href={`/endpoints/${delivery.endpointId}`}>← Endpoint</Link>
        )}
      </p>
      <h1>
        <code>{delivery.type}</code>
      </h1>
      <div className="panel">
        <p>
          <span className={`badge ${delivery.status}`}>{delivery.status}</span> {delivery.reason ?? "Waiting for the worker."}
        </p>
        <p className="muted">
          Stripe event <code>{delivery.stripeEventId}</code> · {delivery.livemode ? "live" : "test"} mode · received{" "}
          {timestamp(delivery.receivedAt)}
          {delivery.contact && (
            <>
              {" "}
              · contact <Link href={`/audience/${delivery.contact.id}`}>{delivery.contact.email}</Link>
            </>
          )}
        </p>
        {endpointDeleted && (
          <p className="notice">
            Its endpoint, “{delivery.endpoint.name}”, was deleted: the delivery is kept with the contact history it made, and is
            not replayed.
          </p>
        )}
        {replayable(delivery) && !endpointDeleted && (
          <ReplayForm
            replay={{ action: replayDeliveryAction, returnTo: `/deliveries/${delivery.id}` }}
            deliveryId={delivery.id}
          />
        )}
      </div>
      <div className="panel">
        <div className="spread">
          <h2>Payload</h2>
          {!endpointDeleted && (
            <Link href={`/endpoints/${delivery.endpointId}/dry-run?delivery=${delivery.id}`}>Dry run with today's settings</Link>
          )}
        </div>
        <pre data-testid="payload">{JSON.stringify(delivery.payload, null, 2)}</pre>
      </div>
    </>
  );
}
