import {
  contactChangedMessage,
  contactRecordSchema,
  subscriptionIncludes,
  triggerFiredMessage,
  type DestinationMessage,
} from "@hookloop/domain";
import { z } from "zod";

/** A destination as hookloop_claim_delivery lists it: what it receives. */
export const claimedDestinationSchema = z.object({
  id: z.string(),
  allTriggers: z.boolean(),
  triggerNames: z.array(z.string()),
  contactChanges: z.boolean(),
});
export type ClaimedDestination = z.infer<typeof claimedDestinationSchema>;

const snakeToCamel = (key: string) => key.replace(/_([a-z0-9])/g, (_match: string, letter: string) => letter.toUpperCase());

/** A trigger event hookloop_apply_contact_history created, with its contact's row as to_jsonb made it. */
export const firedTriggerSchema = z.object({
  name: z.string(),
  properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  stripeEventId: z.string(),
  stripeEventType: z.string().nullable(),
  occurredAt: z.string(),
  // Every column of the contact, camel-cased: the domain's contact record keeps the ones it shows,
  // so a column added later reaches messages by being added there.
  contact: z
    .record(z.string(), z.unknown())
    .transform((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [snakeToCamel(key), value]))),
});
export type FiredTrigger = z.infer<typeof firedTriggerSchema>;

/** A contact hookloop_apply_contact_history created, changed or deleted. */
const changedContactSchema = z.object({
  change: z.enum(["created", "updated", "unsubscribed", "deleted"]),
  contact: firedTriggerSchema.shape.contact,
});
export type ChangedContact = z.infer<typeof changedContactSchema>;

/** What hookloop_apply_contact_history returns. */
export const appliedChangesSchema = z.object({
  fired: z.array(firedTriggerSchema).default([]),
  contacts: z.array(changedContactSchema).default([]),
});

export type OutboxMessage = { destinationId: string; messageId: string; type: string; payload: DestinationMessage };

/** The messages the trigger events fired go out as: one per trigger event and destination that receives it. */
export function firedTriggerMessages(
  workspaceId: string,
  fired: readonly FiredTrigger[],
  destinations: readonly ClaimedDestination[],
): OutboxMessage[] {
  const messages: OutboxMessage[] = [];
  for (const trigger of fired) {
    const receivers = destinations.filter((destination) =>
      subscriptionIncludes(
        { triggers: destination.allTriggers ? "all" : destination.triggerNames, contactChanges: destination.contactChanges },
        { type: "trigger.fired", trigger: { name: trigger.name } },
      ),
    );
    if (!receivers.length) continue;
    const payload = triggerFiredMessage({
      workspaceId,
      occurredAt: new Date(trigger.occurredAt),
      trigger: { name: trigger.name, properties: trigger.properties },
      stripeEvent: { id: trigger.stripeEventId, type: trigger.stripeEventType ?? "unknown" },
      contact: contactRecordSchema.parse(trigger.contact),
    });
    for (const destination of receivers) {
      messages.push({ destinationId: destination.id, messageId: payload.id, type: payload.type, payload });
    }
  }
  return messages;
}

/** The messages of the contact changes one Stripe event made, for the destinations that receive contact changes. */
export function contactChangeMessages(
  workspaceId: string,
  stripeEvent: { id: string; type: string; created: Date },
  changes: readonly ChangedContact[],
  destinations: readonly ClaimedDestination[],
): OutboxMessage[] {
  const receivers = destinations.filter((destination) => destination.contactChanges);
  if (!receivers.length) return [];
  return changes.flatMap(({ change, contact }) => {
    const payload = contactChangedMessage({
      type: `contact.${change}`,
      workspaceId,
      occurredAt: stripeEvent.created,
      stripeEvent: { id: stripeEvent.id, type: stripeEvent.type },
      contact: contactRecordSchema.parse(contact),
    });
    return receivers.map((destination) => ({
      destinationId: destination.id,
      messageId: payload.id,
      type: payload.type,
      payload,
    }));
  });
}
