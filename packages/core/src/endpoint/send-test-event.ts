import { endpointUrl } from "@hookloop/config";
import type { Db } from "@hookloop/db/client";
import type { SecretBox } from "@hookloop/secrets";
import { InvalidInputError, NotFoundError } from "../errors";
import { withWorkspace } from "../workspace/with-workspace";
import { activeSigningSecrets } from "./endpoint-secrets";
import { signedStripeRequest, stripeEvent } from "../stripe/sample-events";

export type SendTestEventOptions = {
  workspaceId: string;
  /** Opens the endpoint's signing secret. */
  box: SecretBox;
  endpointId: string;
  eventType: string;
  /** Where ingest listens, as Stripe would reach it. */
  ingestUrl: string;
  /** How long to wait for the worker to apply it. */
  waitMs?: number;
};

/**
 * Does what a marketer would do by hand in Stripe's dashboard: posts a realistic event, signed with
 * the endpoint's own secret, through the real ingest URL, then reports what became of it. Takes the
 * client: it waits on ingest and the worker between two short withWorkspace reads.
 */
export async function sendTestEvent(db: Db, options: SendTestEventOptions) {
  const { workspaceId, endpointId, box } = options;
  const endpoint = await withWorkspace(db, workspaceId, (tx) =>
    tx.endpoint.findFirst({ where: { id: endpointId, workspaceId } }),
  );
  if (!endpoint) throw new NotFoundError("endpoint");
  const [secret] = activeSigningSecrets(endpoint, box);
  if (!secret) throw new InvalidInputError("Paste the signing secret from Stripe first: the test event is signed with it.");

  const stamp = Date.now().toString(36);
  const event = stripeEvent(options.eventType, {
    customerId: `cus_test_${stamp}`,
    email: `test+${stamp}@example.com`,
    name: "Test Customer",
  });
  const request = signedStripeRequest(event, secret);
  const response = await fetch(endpointUrl(options.ingestUrl, endpointId), {
    method: "POST",
    headers: request.headers,
    body: request.body,
  });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;

  const deadline = Date.now() + (options.waitMs ?? 8_000);
  const read = () =>
    withWorkspace(db, workspaceId, (tx) =>
      tx.delivery.findFirst({
        where: { endpointId, stripeEventId: event.id },
        select: {
          id: true,
          status: true,
          reason: true,
          contact: { select: { id: true, email: true, firstName: true, lastName: true } },
          triggerEvents: { select: { id: true, name: true, properties: true } },
        },
      }),
    );
  let delivery = await read();
  while (delivery?.status === "queued" && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    delivery = await read();
  }
  return { eventId: event.id, eventType: event.type, httpStatus: response.status, answer, delivery };
}
