import Link from "next/link";
import { getDelivery, getEndpoint } from "@hookloop/core";
import { z } from "zod";
import { requireWorkspace } from "@/server/session";
import { dryRunAction } from "./actions";
import { DryRunForm } from "./dry-run-form";

const query = z.object({ delivery: z.string().max(100).optional().catch(undefined) });

export default async function DryRunPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { id } = await params;
  const { delivery: deliveryId } = query.parse(await searchParams);
  const { workspace, inWorkspace } = await requireWorkspace();
  const [endpoint, delivery] = await inWorkspace(
    async (tx) =>
      [
        await getEndpoint(tx, { workspaceId: workspace.id, endpointId: id }),
        deliveryId ? await getDelivery(tx, { workspaceId: workspace.id, deliveryId }) : null,
      ] as const,
  );

  return (
    <>
      <p>
        <Link href={`/endpoints/${endpoint.id}`}>← {endpoint.name}</Link>
      </p>
      <h1>Dry run</h1>
      <p className="muted">
        Paste a Stripe event, or open one from a delivery, and see what it would do with this endpoint's settings as they are now:
        the contacts it would create, change, move or delete, the trigger events it would fire and the messages destinations would
        get. Hookloop runs the very steps the worker runs and then undoes them, so nothing is written and nothing is sent.
      </p>
      {delivery && (
        <p>
          The event of delivery <Link href={`/deliveries/${delivery.id}`}>{delivery.stripeEventId}</Link> ({delivery.type}),
          received {delivery.receivedAt.toISOString()}.
        </p>
      )}
      <section className="panel">
        <DryRunForm
          action={dryRunAction}
          endpointId={endpoint.id}
          initialEvent={delivery ? JSON.stringify(delivery.payload, null, 2) : ""}
        />
      </section>
    </>
  );
}
