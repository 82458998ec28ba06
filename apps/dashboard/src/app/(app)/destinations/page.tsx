import Link from "next/link";
import { listDestinations, listTriggerNames } from "@hookloop/core";
import { managesWorkspace } from "@hookloop/domain";
import { timestamp } from "@/components/tables";
import { env } from "@/env";
import { ownersAndAdmins } from "@/server/action";
import { requireWorkspace } from "@/server/session";
import { createDestinationAction } from "./actions";
import { DestinationForm } from "./destination-form";
import { DestinationStatus } from "./destination-status";

export default async function DestinationsPage() {
  const { workspace, role, inWorkspace } = await requireWorkspace();
  const [destinations, triggerNames] = await inWorkspace(
    async (tx) =>
      [
        await listDestinations(tx, { workspaceId: workspace.id }),
        await listTriggerNames(tx, { workspaceId: workspace.id }),
      ] as const,
  );
  return (
    <>
      <h1>Destinations</h1>
      <p className="muted">
        Each destination is a URL of your email tool or app. Hookloop sends it a signed message for every trigger event (and, if
        you like, every contact change), and tries again until it answers.
      </p>
      {destinations.length === 0 ? (
        <div className="panel empty">
          <h2>Send your events on</h2>
          <p>Add a destination below: Loops, Customer.io, Zapier or your own app, anything that takes a webhook.</p>
        </div>
      ) : (
        <div className="panel">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>URL</th>
                <th>Status</th>
                <th>Last success</th>
              </tr>
            </thead>
            <tbody>
              {destinations.map((destination) => (
                <tr key={destination.id} data-testid="destination-row">
                  <td>
                    <Link href={`/destinations/${destination.id}`}>{destination.name}</Link>
                  </td>
                  <td>
                    <code className="wrap">{destination.url}</code>
                  </td>
                  <td>
                    <DestinationStatus destination={destination} />
                  </td>
                  <td>
                    {destination.lastSuccessAt ? timestamp(destination.lastSuccessAt) : <span className="muted">never</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {managesWorkspace(role) ? (
        <section className="panel" aria-labelledby="new-destination">
          <h2 id="new-destination">New destination</h2>
          <DestinationForm
            action={createDestinationAction}
            triggerNames={triggerNames}
            allowPrivateTargets={env().DESTINATIONS_ALLOW_PRIVATE_TARGETS}
            submitLabel="Create destination"
          />
        </section>
      ) : (
        <p className="muted">{ownersAndAdmins("create destinations").refusal}</p>
      )}
    </>
  );
}
