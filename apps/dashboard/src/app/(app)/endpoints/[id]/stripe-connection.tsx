// The endpoint's Stripe connection: a restricted key, tested and stored, and the import of the
// customers Stripe already has, with its progress. Read here, on the server; the forms are client components.
import { getImportRun, getStripeConnection } from "@hookloop/core";
import { stripeReadPermissions } from "@hookloop/domain";
import { requireWorkspace } from "@/server/session";
import {
  cancelImportAction,
  connectStripeAction,
  removeStripeConnectionAction,
  startImportAction,
} from "./stripe-connection-actions";
import { ConnectStripeForm, ImportPanel, RemoveConnectionButton } from "./stripe-connection-forms";
import { importRunState } from "./stripe-connection-state";

export async function StripeConnectionPanel({ endpointId, refusal }: { endpointId: string; refusal?: string }) {
  const { workspace, inWorkspace } = await requireWorkspace();
  const [connection, run] = await inWorkspace(
    async (tx) =>
      [
        await getStripeConnection(tx, { workspaceId: workspace.id, endpointId }),
        await getImportRun(tx, { workspaceId: workspace.id, endpointId }),
      ] as const,
  );
  return (
    <section className="panel" aria-labelledby="stripe-connection">
      <h2 id="stripe-connection">Stripe connection (optional)</h2>
      <p className="muted">
        With a Stripe API key, Hookloop can import the customers you already have, with their subscriptions and paid invoices.
        Create a restricted key in Stripe (<strong>Developers → API keys → Create restricted key</strong>) with{" "}
        <strong>Read</strong> access to {stripeReadPermissions.join(", ")}, and paste it here.
      </p>
      {connection ? (
        <div className="row" data-testid="stripe-connection">
          <span>
            Connected to <strong>{connection.accountName ?? connection.accountId}</strong> (<code>{connection.accountId}</code>
            ), {connection.mode} mode, with the key{" "}
            <code>{`${connection.keyKind}_${connection.mode}_…${connection.keyLast4}`}</code>.
          </span>
          {!refusal && <RemoveConnectionButton action={removeStripeConnectionAction} endpointId={endpointId} />}
        </div>
      ) : (
        <p className="muted small">Not connected.</p>
      )}
      {refusal ? (
        <p className="muted small">{refusal}</p>
      ) : (
        <ConnectStripeForm action={connectStripeAction} endpointId={endpointId} connected={Boolean(connection)} />
      )}
      {(connection || run) && (
        <ImportPanel
          endpointId={endpointId}
          connected={Boolean(connection)}
          refusal={refusal}
          initial={run ? importRunState(run) : null}
          start={startImportAction}
          cancel={cancelImportAction}
        />
      )}
    </section>
  );
}
