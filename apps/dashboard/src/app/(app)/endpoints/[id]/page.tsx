import Link from "next/link";
import { countDeliveries, getEndpoint } from "@hookloop/core";
import { endpointUrl } from "@hookloop/config";
import {
  conditionKindsFor,
  isSupportedEventType,
  managesWorkspace,
  stripeEventCatalogue,
  subscriptionChangeKinds,
  subscriptionChangeLabels,
  subscriptionChangeSettingType,
  supportedEventTypes,
} from "@hookloop/domain";
import { env } from "@/env";
import { ownersAndAdmins } from "@/server/action";
import { requireWorkspace } from "@/server/session";
import { CopyButton } from "@/components/copy-button";
import { saveSecretAction, saveSettingsAction, sendTestEventAction, setEndpointEnabledAction } from "../actions";
import { DeleteEndpointForm } from "./delete-endpoint-form";
import { DeliveriesPanel } from "./deliveries-panel";
import { EndpointAlerts } from "./endpoint-alerts";
import { deliveryQuery } from "./delivery-query";
import { EndpointNameForm } from "./endpoint-name-form";
import { deleteEndpointAction, renameEndpointAction } from "./manage-actions";
import { Diagnosis } from "./diagnosis";
import { SecretForm } from "./secret-form";
import { SettingsForm } from "./settings-form";
import { StripeConnectionPanel } from "./stripe-connection";
import { TestEventForm } from "./test-event-form";

export default async function EndpointPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { id } = await params;
  const query = deliveryQuery.parse(await searchParams);
  const { workspace, role, inWorkspace } = await requireWorkspace();
  // Members see the endpoint and may test and replay; the actions refuse them the rest anyway.
  const readOnly = managesWorkspace(role) ? undefined : ownersAndAdmins("change endpoints").refusal;
  const [endpoint, deliveryCount] = await inWorkspace(
    async (tx) =>
      [
        await getEndpoint(tx, { workspaceId: workspace.id, endpointId: id }),
        await countDeliveries(tx, { workspaceId: workspace.id, endpointId: id }),
      ] as const,
  );
  const url = endpointUrl(env().INGEST_PUBLIC_URL, endpoint.id);
  const enabledTypes = endpoint.events
    .filter((event) => event.enabled && isSupportedEventType(event.eventType))
    .map((event) => event.eventType);
  const back = `/endpoints/${endpoint.id}`;

  return (
    <>
      <p>
        <Link href="/endpoints">← Endpoints</Link>
      </p>
      <div className="spread">
        <h1>
          {endpoint.name}{" "}
          <span className={`badge ${endpoint.enabled ? "processed" : "ignored"}`}>{endpoint.enabled ? "active" : "paused"}</span>
        </h1>
        {!readOnly && (
          <form action={setEndpointEnabledAction}>
            <input type="hidden" name="endpointId" value={endpoint.id} />
            <input type="hidden" name="enabled" value={String(!endpoint.enabled)} />
            <button type="submit" className="secondary">
              {endpoint.enabled ? "Pause endpoint" : "Resume endpoint"}
            </button>
          </form>
        )}
      </div>
      <EndpointAlerts endpointId={endpoint.id} />
      {!endpoint.enabled && (
        <p className="notice" role="status">
          Paused: Hookloop answers Stripe with 404 and records nothing. Stripe retries each event for up to three days, so what it
          sends now arrives once you resume.
        </p>
      )}

      <section className="panel" aria-labelledby="connect">
        <h2 id="connect">1. Add this URL in Stripe</h2>
        <div className="row">
          <code className="url" data-testid="endpoint-url">
            {url}
          </code>
          <CopyButton text={url} />
        </div>
        <ol className="steps">
          <li>
            In Stripe, open <strong>Developers → Webhooks</strong> and choose <strong>Add endpoint</strong>.
          </li>
          <li>Paste the URL above as the endpoint URL.</li>
          <li>
            Under <strong>Select events</strong>, pick{" "}
            {enabledTypes.length ? enabledTypes.map((type) => <code key={type}>{type} </code>) : "the events you turn on below"}.
          </li>
          <li>
            Save, then choose <strong>Reveal</strong> under <strong>Signing secret</strong> and paste it below.
          </li>
        </ol>
      </section>

      <section className="panel" aria-labelledby="secret-heading">
        <h2 id="secret-heading">2. Paste Stripe's signing secret</h2>
        <SecretForm action={saveSecretAction} endpointId={endpoint.id} last4={endpoint.secretLast4} refusal={readOnly} />
      </section>

      <section className="panel" aria-labelledby="events">
        <h2 id="events">3. Choose events and name their trigger events</h2>
        {readOnly && <p className="muted small">{readOnly}</p>}
        <fieldset className="plain" disabled={Boolean(readOnly)}>
          <SettingsForm
            action={saveSettingsAction}
            endpointId={endpoint.id}
            events={supportedEventTypes.map((type) => {
              const setting = endpoint.events.find((event) => event.eventType === type);
              return {
                eventType: type,
                description: stripeEventCatalogue[type].description,
                enabled: setting?.enabled ?? false,
                triggerName: setting?.triggerName ?? "",
                condition: setting?.condition ?? null,
                conditionKinds: conditionKindsFor(type),
              };
            })}
            subscriptionChanges={subscriptionChangeKinds.map((kind) => {
              const setting = endpoint.events.find((event) => event.eventType === subscriptionChangeSettingType(kind));
              return {
                eventType: subscriptionChangeSettingType(kind),
                description: subscriptionChangeLabels[kind],
                enabled: setting?.enabled ?? false,
                triggerName: setting?.triggerName ?? "",
              };
            })}
            onCustomerDeleted={endpoint.onCustomerDeleted}
            syncNames={endpoint.syncNames}
          />
        </fieldset>
      </section>

      <StripeConnectionPanel endpointId={endpoint.id} refusal={readOnly} />

      <section className="panel" aria-labelledby="test">
        <h2 id="test">4. Send a test event</h2>
        <p className="muted">
          Hookloop signs a realistic Stripe event with this endpoint's secret and posts it to the URL above, just as Stripe would,
          then shows what happened.
        </p>
        <TestEventForm
          action={sendTestEventAction}
          endpointId={endpoint.id}
          eventTypes={supportedEventTypes}
          hasSecret={Boolean(endpoint.secretLast4)}
        />
        <p className="muted">
          Or see what any event would do, without sending or writing anything: <Link href={`${back}/dry-run`}>Dry run</Link>.
        </p>
      </section>

      <Diagnosis endpointId={endpoint.id} workspaceId={workspace.id} inWorkspace={inWorkspace} />

      <DeliveriesPanel endpointId={endpoint.id} path={back} query={query} workspaceId={workspace.id} inWorkspace={inWorkspace} />

      <section className="panel" aria-labelledby="manage">
        <h2 id="manage">Name and deletion</h2>
        {readOnly ? (
          <p className="muted small">{readOnly}</p>
        ) : (
          <>
            <EndpointNameForm action={renameEndpointAction} endpointId={endpoint.id} name={endpoint.name} />
            <DeleteEndpointForm
              action={deleteEndpointAction}
              endpointId={endpoint.id}
              name={endpoint.name}
              deliveryCount={deliveryCount}
            />
          </>
        )}
      </section>
    </>
  );
}
