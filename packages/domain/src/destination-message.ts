// What Hookloop sends a destination, which destination gets it, and when a failed send is tried again. No I/O.
import { createHash } from "node:crypto";
import { z } from "zod";
import { contactRecordSchema, toContactRecord, type ContactRow } from "./contact-record";
import type { TriggerProperties } from "./plan-contact-change";
import { triggerNameSchema } from "./trigger-name";

export const contactChangeTypes = ["contact.created", "contact.updated", "contact.unsubscribed", "contact.deleted"] as const;
export const destinationMessageTypes = ["trigger.fired", ...contactChangeTypes] as const;

export type ContactChangeType = (typeof contactChangeTypes)[number];
export type DestinationMessageType = (typeof destinationMessageTypes)[number];

const messageIdSchema = z.string().regex(/^msg_[0-9a-f]{32}$/, "a message id: msg_ and 32 hex digits");
const stripeEventRefSchema = z.object({ id: z.string(), type: z.string() });

const envelope = {
  /** The same on every attempt and in the `webhook-id` header, so a receiver can drop a repeat. */
  id: messageIdSchema,
  /** When it happened; for a Stripe event, when Stripe created the event. */
  occurredAt: z.iso.datetime({ offset: true }),
  workspace: z.object({ id: z.string() }),
  /** The contact as it is after the event. */
  contact: contactRecordSchema,
};

/** The documented payload: the JSON body of every message a destination receives. */
export const destinationMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("trigger.fired"),
    ...envelope,
    trigger: z.object({
      name: z.string(),
      properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    }),
    stripeEvent: stripeEventRefSchema,
  }),
  z.object({
    type: z.enum(contactChangeTypes),
    ...envelope,
    /** The Stripe event behind the change; null when someone made it in Hookloop (an erasure, say). */
    stripeEvent: stripeEventRefSchema.nullable(),
  }),
]);

export type DestinationMessage = z.output<typeof destinationMessageSchema>;

/**
 * A message's id follows from what it is about, so recording the same thing twice names the same
 * message (and a unique key refuses the second). `key` is what makes it unique among messages of its
 * type in the workspace: for a trigger, the Stripe event id and the trigger name.
 */
export function destinationMessageId(workspaceId: string, type: DestinationMessageType, key: readonly string[]): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([workspaceId, type, ...key]))
    .digest("hex");
  return `msg_${digest.slice(0, 32)}`;
}

type StripeEventRef = { id: string; type: string };

export function triggerFiredMessage(input: {
  workspaceId: string;
  occurredAt: Date;
  trigger: { name: string; properties: TriggerProperties };
  stripeEvent: StripeEventRef;
  contact: ContactRow;
}): DestinationMessage {
  return {
    type: "trigger.fired",
    id: destinationMessageId(input.workspaceId, "trigger.fired", [input.stripeEvent.id, input.trigger.name]),
    occurredAt: input.occurredAt.toISOString(),
    workspace: { id: input.workspaceId },
    trigger: { name: input.trigger.name, properties: { ...input.trigger.properties } },
    stripeEvent: { id: input.stripeEvent.id, type: input.stripeEvent.type },
    contact: toContactRecord(input.contact),
  };
}

export function contactChangedMessage(input: {
  type: ContactChangeType;
  workspaceId: string;
  occurredAt: Date;
  /** What makes this change unique for the contact, when there is no Stripe event: an erasure's id, say. */
  changeKey?: string;
  stripeEvent: StripeEventRef | null;
  contact: ContactRow;
}): DestinationMessage {
  const contact = toContactRecord(input.contact);
  const cause = input.stripeEvent?.id ?? input.changeKey;
  if (!cause) throw new Error("A contact change without a Stripe event needs a changeKey to name its message.");
  return {
    type: input.type,
    id: destinationMessageId(input.workspaceId, input.type, [cause, contact.id]),
    occurredAt: input.occurredAt.toISOString(),
    workspace: { id: input.workspaceId },
    stripeEvent: input.stripeEvent ? { id: input.stripeEvent.id, type: input.stripeEvent.type } : null,
    contact,
  };
}

/** Which messages a destination receives. */
export type DestinationSubscription = {
  /** Every trigger event, or only those with these names. */
  triggers: "all" | readonly string[];
  /** Whether it also receives `contact.created`, `contact.updated`, `contact.unsubscribed` and `contact.deleted`. */
  contactChanges: boolean;
};

/** What a destination's settings form submits, checked with a message for each slip. */
export const destinationSubscriptionSchema = z
  .object({
    triggers: z.union([z.literal("all"), z.array(triggerNameSchema)]),
    contactChanges: z.boolean(),
  })
  .transform((value) => ({
    ...value,
    triggers: value.triggers === "all" ? ("all" as const) : [...new Set(value.triggers)],
  }))
  .refine((value) => value.triggers === "all" || value.triggers.length > 0 || value.contactChanges, {
    message: "Choose at least one trigger event, or the contact changes, for this destination to receive.",
  });

type MessageHead = { type: "trigger.fired"; trigger: { name: string } } | { type: ContactChangeType };

export function subscriptionIncludes(subscription: DestinationSubscription, message: MessageHead): boolean {
  if (message.type !== "trigger.fired") return subscription.contactChanges;
  return subscription.triggers === "all" || subscription.triggers.includes(message.trigger.name);
}

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;

/** The wait before each retry: the last attempt comes about 2 days and 4 hours after the first. */
export const retryDelaysMs: readonly number[] = [
  5 * second,
  5 * minute,
  30 * minute,
  2 * hour,
  5 * hour,
  10 * hour,
  10 * hour,
  24 * hour,
];

/** The first attempt and one per retry. */
export const maxDeliveryAttempts = retryDelaysMs.length + 1;

/** Each wait is stretched or shrunk by up to this share, so failures at the same moment do not retry together. */
export const retryJitter = 0.2;

/**
 * How long to wait after attempt `attemptNumber` (1 is the first) failed, in milliseconds, or null
 * when that was the last. `random` is a number in [0, 1), such as `Math.random()`.
 */
export function nextAttemptDelay(attemptNumber: number, random: number): number | null {
  if (!Number.isInteger(attemptNumber) || attemptNumber < 1) {
    throw new RangeError(`attemptNumber counts from 1; got ${attemptNumber}`);
  }
  if (!(random >= 0 && random <= 1)) throw new RangeError(`random is a number from 0 to 1; got ${random}`);
  const delay = retryDelaysMs[attemptNumber - 1];
  if (delay === undefined) return null;
  return Math.round(delay * (1 - retryJitter + 2 * retryJitter * random));
}

/**
 * What one attempt's answer means: any 2xx delivers; 410 Gone says the receiver is gone for good,
 * so the destination pauses (its messages wait for a resume); anything else, including a redirect
 * and a network error (no status), is tried again.
 */
export type AttemptOutcome = "delivered" | "pause-destination" | "retry";

export function attemptOutcome(status: number | null): AttemptOutcome {
  if (status !== null && status >= 200 && status < 300) return "delivered";
  if (status === 410) return "pause-destination";
  return "retry";
}

export type NextStep =
  { kind: "delivered" } | { kind: "pause-destination" } | { kind: "retry"; delayMs: number } | { kind: "give-up" };

/** What follows an attempt: the outcome rule and the retry schedule together. */
export function nextStepAfterAttempt(attempt: { status: number | null; attemptNumber: number; random: number }): NextStep {
  const outcome = attemptOutcome(attempt.status);
  if (outcome !== "retry") return { kind: outcome };
  const delayMs = nextAttemptDelay(attempt.attemptNumber, attempt.random);
  return delayMs === null ? { kind: "give-up" } : { kind: "retry", delayMs };
}
