import Link from "next/link";
import { getDestination, listMessages, listTriggerNames } from "@hookloop/core";
import { managesWorkspace } from "@hookloop/domain";
import { z } from "zod";
import { timestamp } from "@/components/tables";
import { env } from "@/env";
import { ownersAndAdmins } from "@/server/action";
import { services } from "@/server/services";
import { requireWorkspace } from "@/server/session";
import {
  retryFailedMessagesAction,
  retryMessageAction,
  rotateDestinationSecretAction,
  sendTestMessageAction,
  setDestinationPausedAction,
  updateDestinationAction,
} from "../actions";
import { DestinationForm } from "../destination-form";
import { DestinationStatus } from "../destination-status";
import { MessageLog, pageSize } from "./message-log";
import { RetryRangeForm } from "./retry-range-form";
import { SecretPanel } from "./secret-panel";
import { TestMessageForm } from "./test-message-form";

/** `before` is the cursor of the last message on the page before: its creation time and id. */
const filters = z.object({
  status: z.enum(["pending", "delivered", "failed"]).optional().catch(undefined),
  before: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z~[0-9a-f-]{36}$/)
    .transform((value) => {
      const [createdAt, id] = value.split("~") as [string, string];
      return { createdAt: new Date(createdAt), id };
    })
    .optional()
    .catch(undefined),
});

const verificationSnippet = `import { createServer } from "node:http";
import { Webhook } from "standardwebhooks"; // npm install standardwebhooks

const webhook = new Webhook(process.env.HOOKLOOP_SIGNING_SECRET); // whsec_…

createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    let message;
    try {
      // The body exactly as it arrived, and its webhook-id, webhook-timestamp and webhook-signature headers.
      message = webhook.verify(Buffer.concat(chunks).toString("utf8"), request.headers);
    } catch {
      return response.writeHead(400).end("invalid signature");
    }
    // message.id is the same on every retry: skip one you have already handled.
    console.log(message.type, message.contact.email, message.trigger?.name);
    response.writeHead(204).end();
  });
}).listen(3000);`;

/** A `datetime-local` value in UTC, to the minute. */
const utcMinute = (date: Date) => date.toISOString().slice(0, 16);

export default async function DestinationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { id } = await params;
  const filter = filters.parse(await searchParams);
  const { workspace, role, inWorkspace } = await requireWorkspace();
  // Members see the destination and may test and retry; the actions refuse them the rest anyway.
  const readOnly = managesWorkspace(role) ? undefined : ownersAndAdmins("change destinations").refusal;
  const { box } = services();
  const [destination, messages, triggerNames] = await inWorkspace(
    async (tx) =>
      [
        await getDestination(tx, { workspaceId: workspace.id, destinationId: id, box }),
        await listMessages(tx, {
          workspaceId: workspace.id,
          destinationId: id,
          status: filter.status,
          before: filter.before,
          limit: pageSize + 1,
        }),
        await listTriggerNames(tx, { workspaceId: workspace.id }),
      ] as const,
  );
  const back = `/destinations/${destination.id}${filter.status ? `?status=${filter.status}` : ""}`;
  const now = new Date();

  return (
    <>
      <p>
        <Link href="/destinations">← Destinations</Link>
      </p>
      <div className="spread">
        <h1>
          {destination.name} <DestinationStatus destination={{ ...destination, pausedReason: null }} />
        </h1>
        {destination.enabled && !readOnly && (
          <form action={setDestinationPausedAction}>
            <input type="hidden" name="destinationId" value={destination.id} />
            <input type="hidden" name="paused" value={String(!destination.pausedAt)} />
            <button type="submit" className="secondary">
              {destination.pausedAt ? "Resume destination" : "Pause destination"}
            </button>
          </form>
        )}
      </div>
      <p className="muted">
        <code className="wrap">{destination.url}</code> · last success{" "}
        {destination.lastSuccessAt ? timestamp(destination.lastSuccessAt) : "never"}
      </p>
      {destination.pausedAt && (
        <p className="notice" role="status">
          Paused: {destination.pausedReason ?? "no reason recorded."} Its messages wait, and resuming sends them.
        </p>
      )}
      {!destination.enabled && (
        <p className="notice" role="status">
          Disabled: no new messages are recorded for it, and those waiting stay until it is enabled below.
        </p>
      )}

      <section className="panel" aria-labelledby="secret">
        <h2 id="secret">Signing secret</h2>
        <p className="muted">
          Every message is signed as the Standard Webhooks specification says (<code>webhook-id</code>,{" "}
          <code>webhook-timestamp</code>, <code>webhook-signature</code>). Give your receiver this secret to verify them.
        </p>
        <SecretPanel
          action={rotateDestinationSecretAction}
          destinationId={destination.id}
          secret={destination.secret}
          previousSecretExpiresAt={destination.previousSecretExpiresAt ? timestamp(destination.previousSecretExpiresAt) : null}
          refusal={readOnly}
        />
        <h3>Verify messages in Node</h3>
        <pre data-testid="verification-snippet">{verificationSnippet}</pre>
      </section>

      <section className="panel" aria-labelledby="test">
        <h2 id="test">Send a test message</h2>
        <p className="muted">
          Hookloop signs a <code>trigger.fired</code> message about a made-up contact and sends it to the URL above, then shows
          what your receiver answered. It is not kept in the log and not tried again.
        </p>
        <TestMessageForm action={sendTestMessageAction} destinationId={destination.id} />
      </section>

      <section className="panel" aria-labelledby="messages">
        <h2 id="messages">Messages</h2>
        <form className="row toolbar" method="get" aria-label="Filter messages">
          <label htmlFor="filter-status">Status</label>
          <select id="filter-status" name="status" defaultValue={filter.status ?? ""}>
            <option value="">All</option>
            <option value="pending">Pending</option>
            <option value="delivered">Delivered</option>
            <option value="failed">Failed</option>
          </select>
          <button type="submit" className="secondary">
            Filter
          </button>
        </form>
        <MessageLog
          messages={messages}
          destinationId={destination.id}
          status={filter.status}
          paged={Boolean(filter.before)}
          retry={{ action: retryMessageAction, returnTo: back }}
        />
        <h3>Retry failed messages</h3>
        <p className="muted small">
          Each failed message created in the range gets one more attempt now; one that fails again stays failed.
        </p>
        <RetryRangeForm
          action={retryFailedMessagesAction}
          destinationId={destination.id}
          from={utcMinute(new Date(now.getTime() - 7 * 24 * 60 * 60 * 1000))}
          to={utcMinute(new Date(now.getTime() + 60 * 1000))}
        />
      </section>

      <section className="panel" aria-labelledby="settings">
        <h2 id="settings">Settings</h2>
        {readOnly && <p className="muted small">{readOnly}</p>}
        <fieldset className="plain" disabled={Boolean(readOnly)}>
          <DestinationForm
            action={updateDestinationAction}
            values={{
              id: destination.id,
              name: destination.name,
              url: destination.url,
              triggers: destination.triggers,
              contactChanges: destination.contactChanges,
              enabled: destination.enabled,
            }}
            triggerNames={triggerNames}
            allowPrivateTargets={env().DESTINATIONS_ALLOW_PRIVATE_TARGETS}
            submitLabel="Save destination"
          />
        </fieldset>
      </section>
    </>
  );
}
