import { randomUUID } from "node:crypto";
import { normaliseEmail, type TriggerProperties } from "@hookloop/domain";
import { z } from "zod";
import { contactsLockKey } from "../contact/contacts-lock";
import { firedTriggerMessages } from "../destination/fired-trigger-messages";
import { NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type RecordApiTriggerEventOptions = {
  workspaceId: string;
  /** The contact's email: it must already be a contact of the workspace. */
  email: string;
  name: string;
  properties: TriggerProperties;
};

/** What an event fired through the API stands in place of a Stripe event as, in its trigger event and messages. */
export const API_EVENT_TYPE = "api";

const recordedIdsSchema = z.array(z.object({ ids: z.array(z.string()) }));

/**
 * Fires a named trigger event for an existing contact from the workspace's own app (POST
 * /v1/events): recorded like one a Stripe event fired, with `api_<uuid>` in place of the Stripe
 * event id, and sent to the destinations that take it through the same transactional outbox
 * (hookloop_record_messages). Returns the ids of the messages recorded, to queue after commit.
 * It holds the workspace's contacts lock shared, as the worker does, so an erasure runs wholly
 * before or after it: an erased person gets no event.
 */
export async function recordApiTriggerEvent(tx: WorkspaceTx, options: RecordApiTriggerEventOptions) {
  const { workspaceId, name, properties } = options;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${contactsLockKey(workspaceId)}::bigint)`;
  const contact = await tx.contact.findFirst({
    where: { workspaceId, email: normaliseEmail(options.email) },
    omit: { workspaceId: true, firstEventId: true },
  });
  if (!contact) throw new NotFoundError("contact");
  const occurredAt = new Date();
  const stripeEventId = `api_${randomUUID()}`;
  const triggerEvent = await tx.triggerEvent.create({
    data: { workspaceId, contactId: contact.id, name, properties, stripeEventId, occurredAt },
    select: { id: true, name: true, properties: true, stripeEventId: true, occurredAt: true, createdAt: true },
  });
  const destinations = await tx.destination.findMany({
    where: { workspaceId, enabled: true },
    select: { id: true, allTriggers: true, triggerNames: true, contactChanges: true },
  });
  const messages = firedTriggerMessages(
    workspaceId,
    [{ name, properties, stripeEventId, stripeEventType: API_EVENT_TYPE, occurredAt: occurredAt.toISOString(), contact }],
    destinations,
  );
  let messageIds: string[] = [];
  if (messages.length) {
    const recorded = await tx.$queryRaw`SELECT hookloop_record_messages(${JSON.stringify(messages)}::jsonb) AS ids`;
    messageIds = recordedIdsSchema.parse(recorded)[0]?.ids ?? [];
  }
  return { triggerEvent: { ...triggerEvent, contact: { id: contact.id, email: contact.email } }, messageIds };
}
