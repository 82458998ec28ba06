import Link from "next/link";
import { listEndpoints } from "@hookloop/core";
import { managesWorkspace } from "@hookloop/domain";
import { ownersAndAdmins } from "@/server/action";
import { requireWorkspace } from "@/server/session";
import { NameForm } from "@/components/name-form";
import { createEndpointAction } from "./actions";

export default async function EndpointsPage() {
  const { workspace, role, inWorkspace } = await requireWorkspace();
  const endpoints = await inWorkspace((tx) => listEndpoints(tx, { workspaceId: workspace.id }));
  return (
    <>
      <h1>Endpoints</h1>
      <p className="muted">
        Each endpoint is a URL you paste into Stripe. Stripe sends it events; Hookloop turns them into contacts and events.
      </p>
      {endpoints.length === 0 ? (
        <div className="panel empty">
          <h2>Connect Stripe</h2>
          <p>Create your first endpoint, then paste its URL into Stripe's webhook settings.</p>
        </div>
      ) : (
        <div className="panel">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Signing secret</th>
                <th>Events on</th>
                <th>Deliveries</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((endpoint) => (
                <tr key={endpoint.id}>
                  <td>
                    <Link href={`/endpoints/${endpoint.id}`}>{endpoint.name}</Link>
                    {!endpoint.enabled && <span className="badge ignored">paused</span>}
                  </td>
                  <td>
                    {endpoint.secretLast4 ? (
                      <code>whsec_…{endpoint.secretLast4}</code>
                    ) : (
                      <span className="badge failed">missing</span>
                    )}
                  </td>
                  <td>{endpoint.events.length}</td>
                  <td>{endpoint._count.deliveries}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {managesWorkspace(role) ? (
        <NameForm
          action={createEndpointAction}
          heading="New endpoint"
          id="endpoint-name"
          label="Name"
          placeholder="Stripe (live)"
          submitLabel="Create endpoint"
        />
      ) : (
        <p className="muted">{ownersAndAdmins("create endpoints").refusal}</p>
      )}
    </>
  );
}
