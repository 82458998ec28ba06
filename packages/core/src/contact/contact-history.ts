// The contact history, in the database: lock the part of it a new event belongs to, replay the part
// with the event in its place in Stripe's order (@hookloop/domain replayContactHistory), and write
// what the replay changed — contacts, the contact each event and its trigger events belong to —
// with the destination messages that follow, in the caller's transaction. Two callers: the worker
// applying a Stripe delivery (delivery/apply-delivery.ts), and changes that are not Stripe
// deliveries — the workspace's own app through the API, an import (apply-contact-change.ts).
//
// The database work is two functions (prisma/functions/), run on a plain `pg` connection of the
// Prisma client's own pool, under the same role and row-level security, as named statements:
// - hookloop_lock_contact_history locks the part of the history the change belongs to and returns it;
// - hookloop_apply_contact_history adds the event to the history and writes the contacts, the
//   trigger events and, for a delivery, its outcome, and returns the trigger events it created;
// - when the workspace has enabled destinations and trigger events were created,
//   hookloop_record_messages records their destination messages in the same transaction (a
//   transactional outbox). A trigger event a later replay moves to another contact is not created
//   again, so it sends nothing again. For destinations that receive contact changes, the contacts
//   the replay created, changed or deleted are messages too, named by the event and the contact, so
//   the same change is recorded once.
import { randomUUID } from "node:crypto";
import type { Db, SqlClient } from "@hookloop/db/client";
import { sqlPool } from "@hookloop/db/client";
import {
  billingFactSchema,
  billingFields,
  billingStateSchema,
  erasedEmailHash,
  replayContactHistory,
  subscriptionChangeKinds,
  subscriptionChangeSettingType,
  subscriptionChanges,
  type BillingState,
  type EndpointEventSetting,
  type SubscriptionChangeKind,
  type TriggerProperties,
  type ContactPlan,
  type HistoryEvent,
  type PlacedEvent,
  type ReplayedHistory,
} from "@hookloop/domain";
import { z } from "zod";
import {
  appliedChangesSchema,
  claimedDestinationSchema,
  contactChangeMessages,
  firedTriggerMessages,
  type ChangedContact,
  type ClaimedDestination,
  type FiredTrigger,
  type OutboxMessage,
} from "../destination/fired-trigger-messages";
import type { WorkspaceTx } from "../workspace/with-workspace";
import { contactsLockKey } from "./contacts-lock";

/** The event names no contact yet; the customer event that does may still be on its way. */
export class ContactNotResolvableError extends Error {
  override name = "ContactNotResolvableError";
}

/** Another transaction linked this one's part of the history to more while its locks were taken. */
class HistoryPartGrewError extends Error {}

/**
 * Where the history's statements run: a pg connection of the client's pool in a transaction of
 * its own (withContactHistory), or a workspace's Prisma transaction (statementsIn).
 */
export type HistorySql = {
  query(statement: { name: string; text: string; values?: unknown[] }): Promise<{ rows: unknown[] }>;
};

/** The history's statements in a workspace's Prisma transaction; jsonb values travel as JSON text. */
export function statementsIn(tx: WorkspaceTx): HistorySql {
  return {
    query: async ({ text, values = [] }) => ({
      rows: await tx.$queryRawUnsafe<unknown[]>(
        text,
        ...values.map((value) => (typeof value === "object" && value !== null ? JSON.stringify(value) : value)),
      ),
    }),
  };
}

/** How the part's locks are taken: shared with other parts, or holding the workspace's contacts lock alone. */
export type HistoryLock = { exclusive: boolean };

/**
 * Runs `work` in a transaction on a pg connection; when the part of the history it locks grew
 * meanwhile, once more holding the workspace's contacts lock alone.
 */
export async function withContactHistory<T>(
  db: Db,
  work: (sql: HistorySql, lock: HistoryLock) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  try {
    return await inTransaction(db, (client) => work(client, { exclusive: false }), options);
  } catch (error) {
    if (!(error instanceof HistoryPartGrewError)) throw error;
    return inTransaction(db, (client) => work(client, { exclusive: true }), options);
  }
}

/** `rollback`: undo everything `work` wrote and return what it found (a dry run). */
type TransactionOptions = { rollback?: boolean };

async function inTransaction<T>(db: Db, work: (client: SqlClient) => Promise<T>, options: TransactionOptions): Promise<T> {
  const client = await sqlPool(db).connect();
  let unusable: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query(options.rollback ? "ROLLBACK" : "COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: Error) => {
      // A connection that cannot roll back is in an unknown state: the pool drops it.
      unusable = rollbackError;
    });
    throw error;
  } finally {
    client.release(unusable);
  }
}

const deletionBehaviour = z.enum(["delete", "unsubscribe"]);

const recordedEventSchema = z.object({
  eventId: z.string(),
  created: z.string(),
  customerId: z.string().nullable(),
  email: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  authoritative: z.boolean(),
  deletion: deletionBehaviour.nullable(),
  /** Null on events recorded before billing was kept, and on events that say nothing about it. */
  billing: billingFactSchema.nullable().optional(),
  subscribed: z.boolean().nullable().optional(),
  contactId: z.string().nullable(),
});
type RecordedEvent = z.infer<typeof recordedEventSchema>;

const contactRowSchema = z.object({
  id: z.string(),
  email: z.string(),
  firstEventId: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  subscribed: z.boolean(),
  stripeCustomerId: z.string().nullable(),
  /** Null on a contact no replay has given a billing state yet. */
  billing: billingStateSchema
    .nullable()
    .optional()
    .transform((billing) => billing ?? null),
});
export type ContactRow = z.infer<typeof contactRowSchema>;

/** What hookloop_lock_contact_history returns: the part of the history, or why there is none. */
const lockedPartSchema = z.union([
  z.object({ retry: z.literal(true) }),
  z.object({ erased: z.literal(true) }),
  z.object({ events: z.array(recordedEventSchema), contacts: z.array(contactRowSchema) }),
]);
type LockedPart = { events: RecordedEvent[]; contacts: ContactRow[] };

/** An event joining the history: its place in Stripe's order and its contact change. */
export type NewHistoryEvent = { eventId: string; created: Date; change: Exclude<ContactPlan, { kind: "unusable" }> };

/** Where an event of the part belonged after the last replay. */
type Placement = { eventId: string; contactId: string | null };
type ContactWrites = {
  remove: string[];
  contacts: Array<Omit<ContactRow, "firstEventId" | "billing"> & { firstEventId: string; billing: BillingState; source: string }>;
  placements: Placement[];
  /** The trigger events of the part's subscription changes, each once by its key (the SQL skips those fired before). */
  changeTriggers: Array<{ eventId: string; contactId: string; name: string; properties: TriggerProperties; changeKey: string }>;
};

/** The trigger names an endpoint gives subscription changes (its `subscription:<kind>` settings that are on). */
export type SubscriptionChangeTriggers = ReadonlyMap<SubscriptionChangeKind, string>;

/** The enabled, named subscription-change settings among an endpoint's event settings. */
export function subscriptionChangeTriggersOf(settings: readonly EndpointEventSetting[]): SubscriptionChangeTriggers {
  return new Map(
    subscriptionChangeKinds.flatMap((kind) => {
      const setting = settings.find((candidate) => candidate.eventType === subscriptionChangeSettingType(kind));
      return setting?.enabled && setting.triggerName ? [[kind, setting.triggerName] as const] : [];
    }),
  );
}

/** Why an event for an erased email changes nothing. */
export const erasedReason = "This email was erased at the contact's request; Hookloop does not add it again.";

/** The ids of events that are not Stripe's: a change from the workspace's own app, through the API. */
export const API_EVENT_PREFIX = "api_";

const lockStatement = "SELECT hookloop_lock_contact_history($1, $2, $3, $4::bigint, $5) AS part";
const applyStatement = "SELECT hookloop_apply_contact_history($1::uuid, $2::jsonb, $3::jsonb) AS fired";
const recordMessagesStatement = "SELECT hookloop_record_messages($1::jsonb) AS ids";

/**
 * Locks the part of the workspace's history that a change with this customer and email belongs
 * to (the workspace must be named for the transaction), or says the email was erased on request.
 */
export async function lockContactHistory(
  client: HistorySql,
  workspaceId: string,
  change: { customerId: string | null; email: string | null },
  lock: HistoryLock,
): Promise<LockedPart | { erased: true }> {
  const locked = await client.query({
    name: "hookloop_lock_contact_history",
    text: lockStatement,
    values: [
      change.customerId,
      change.email,
      change.email === null ? null : erasedEmailHash(workspaceId, change.email),
      contactsLockKey(workspaceId).toString(),
      lock.exclusive,
    ],
  });
  const part = lockedPartSchema.parse(z.object({ part: z.unknown() }).parse(locked.rows[0]).part);
  if ("retry" in part) throw new HistoryPartGrewError();
  return part;
}

export type ReplayedPart = {
  /** Where the new event landed, and why, in words a marketer reads. */
  placed: PlacedEvent;
  /** The row id of the new event's contact, or null when it has none. */
  contactId: string | null;
  writes: ContactWrites;
};

/**
 * Replays the part with the event in its place (unless it is there already: the same Stripe
 * event through another endpoint, or a replay of a delivery) and says what to write.
 */
export function replayPart(
  part: LockedPart,
  event: NewHistoryEvent,
  changeTriggers: SubscriptionChangeTriggers = new Map(),
): ReplayedPart {
  const history = part.events.map(historyEventOf);
  const placedBefore: Placement[] = part.events.map(({ eventId, contactId }) => ({ eventId, contactId }));
  if (!placedBefore.some((placement) => placement.eventId === event.eventId)) {
    history.push({ ...event.change, eventId: event.eventId, created: event.created });
    placedBefore.push({ eventId: event.eventId, contactId: null });
  }
  const replayed = replayContactHistory(history);
  const placed = replayed.events.get(event.eventId)!;
  const { writes, contactIds } = contactWrites(part.contacts, placedBefore, replayed, event.eventId);
  const contactOf = (eventId: string) => {
    const key = replayed.events.get(eventId)?.contactKey;
    return key ? contactIds.get(key)! : null;
  };
  if (changeTriggers.size) {
    for (const change of subscriptionChanges(history)) {
      const name = changeTriggers.get(change.kind);
      const contactId = contactOf(change.eventId);
      if (!name || !contactId) continue;
      // Two changes shown by one event under one name (a plan change and a status named alike) fire once.
      if (writes.changeTriggers.some((trigger) => trigger.eventId === change.eventId && trigger.name === name)) continue;
      writes.changeTriggers.push({
        eventId: change.eventId,
        contactId,
        name,
        changeKey: change.key,
        properties: Object.fromEntries(
          Object.entries({
            subscriptionId: change.subscriptionId,
            customerId: change.customerId,
            status: change.status,
            previousStatus: change.previousStatus,
            plan: change.plan,
            previousPlan: change.previousPlan,
          }).filter(([, value]) => value !== null),
        ),
      });
    }
  }
  return { placed, writes, contactId: placed.contactKey ? contactIds.get(placed.contactKey)! : null };
}

export type WriteReplayOptions = {
  workspaceId: string;
  /** The delivery whose outcome is recorded, or null for a change that is not a Stripe delivery. */
  deliveryId: string | null;
  event?: NewHistoryEvent;
  writes?: ContactWrites;
  /** What the delivery records (ignored without one). */
  outcome: { status: string; reason: string; contactId?: string | null };
  /** The workspace's enabled destinations, and what each receives. */
  destinations: readonly ClaimedDestination[];
  /** Report the contacts it changes even when no destination takes contact changes (a dry run). */
  reportContacts?: boolean;
  /** The event behind the contact changes, for their messages: a Stripe event's type, or "api". */
  origin?: { id: string; type: string; created: Date };
};

const destinationRowSchema = z
  .object({ id: z.string(), all_triggers: z.boolean(), trigger_names: z.array(z.string()), contact_changes: z.boolean() })
  .transform((row) =>
    claimedDestinationSchema.parse({
      id: row.id,
      allTriggers: row.all_triggers,
      triggerNames: row.trigger_names,
      contactChanges: row.contact_changes,
    }),
  );

/** The workspace's enabled destinations and what each receives, as hookloop_claim_delivery lists them for a delivery. */
export async function enabledDestinations(client: HistorySql): Promise<ClaimedDestination[]> {
  const rows = await client.query({
    name: "hookloop_enabled_destinations",
    text: "SELECT id, all_triggers, coalesce(trigger_names, '{}') AS trigger_names, contact_changes FROM destination WHERE enabled",
  });
  return rows.rows.map((row) => destinationRowSchema.parse(row));
}

const noWrites: ContactWrites = { remove: [], contacts: [], placements: [], changeTriggers: [] };

/** Writes a replay (hookloop_apply_contact_history) and records the destination messages it makes. */
export async function writeReplay(
  client: HistorySql,
  options: WriteReplayOptions,
): Promise<{ fired: FiredTrigger[]; contacts: ChangedContact[]; messages: OutboxMessage[]; messageIds: string[] }> {
  const { workspaceId, destinations, origin } = options;
  const reportContacts = options.reportContacts ?? destinations.some((destination) => destination.contactChanges);
  const applied = await client.query({
    name: "hookloop_apply_contact_history",
    text: applyStatement,
    values: [
      options.deliveryId,
      options.event ?? null,
      { ...(options.writes ?? noWrites), outcome: options.outcome, reportContacts },
    ],
  });
  const changes = appliedChangesSchema.parse(z.object({ fired: z.unknown() }).parse(applied.rows[0]).fired ?? {});
  // A trigger event of a change that is no Stripe delivery names its origin in place of an event type.
  const fired = changes.fired.map((trigger) => ({
    ...trigger,
    stripeEventType: trigger.stripeEventType ?? origin?.type ?? null,
  }));
  const { contacts } = changes;
  if (!destinations.length || options.outcome.status !== "processed") return { fired, contacts, messages: [], messageIds: [] };
  const messages = [
    ...firedTriggerMessages(workspaceId, fired, destinations),
    ...(origin ? contactChangeMessages(workspaceId, origin, contacts, destinations) : []),
  ];
  if (!messages.length) return { fired, contacts, messages, messageIds: [] };
  const recorded = await client.query({
    name: "hookloop_record_messages",
    text: recordMessagesStatement,
    values: [JSON.stringify(messages)],
  });
  const messageIds = z.object({ ids: z.array(z.string()).nullable() }).parse(recorded.rows[0]).ids ?? [];
  return { fired, contacts, messages, messageIds };
}

function historyEventOf(row: RecordedEvent): HistoryEvent {
  const position = { eventId: row.eventId, created: new Date(row.created) };
  if (row.deletion) {
    return { ...position, kind: "delete", customerId: row.customerId!, email: row.email, behaviour: row.deletion };
  }
  const named = row.firstName !== null || row.lastName !== null;
  return {
    ...position,
    kind: "upsert",
    customerId: row.customerId,
    email: row.email,
    name: named ? { firstName: row.firstName, lastName: row.lastName } : null,
    authoritative: row.authoritative,
    billing: row.billing ?? null,
    subscribed: row.subscribed ?? null,
  };
}

/**
 * What to write so that the contact rows of a part of the history match its replay. A replayed
 * contact is the row created by the same event, else the row with its email, else a new row; rows
 * left over are contacts the history no longer makes. Only what changed is written, plus the new
 * event, which joins the history and whose trigger events may be new.
 */
function contactWrites(rows: ContactRow[], placedBefore: Placement[], replayed: ReplayedHistory, currentEventId: string) {
  const keys = new Set(replayed.contacts.map((contact) => contact.key));
  const leftOver = new Map(rows.map((row) => [row.id, row]));
  const rowOf = new Map<string, ContactRow>();
  for (const row of rows) {
    if (row.firstEventId && keys.has(row.firstEventId)) {
      rowOf.set(row.firstEventId, row);
      leftOver.delete(row.id);
    }
  }
  const leftOverByEmail = new Map([...leftOver.values()].map((row) => [row.email, row]));
  const contacts: ContactWrites["contacts"] = [];
  const contactIds = new Map<string, string>();
  for (const contact of replayed.contacts) {
    let row = rowOf.get(contact.key);
    if (!row && leftOverByEmail.has(contact.email)) {
      row = leftOverByEmail.get(contact.email)!;
      leftOver.delete(row.id);
    }
    const { key, ...fields } = contact;
    // The source is kept from the row's first insert; a new row is the creating event's.
    const source = key.startsWith(API_EVENT_PREFIX) ? "API" : "Stripe";
    const written = { id: row?.id ?? randomUUID(), firstEventId: key, ...fields, source };
    contactIds.set(key, written.id);
    if (!row || changed(row, written)) contacts.push(written);
  }
  const placements = placedBefore
    .map(({ eventId, contactId: before }) => {
      const contactKey = replayed.events.get(eventId)!.contactKey;
      return { eventId, before, contactId: contactKey ? contactIds.get(contactKey)! : null };
    })
    .filter(({ eventId, before, contactId }) => eventId === currentEventId || before !== contactId)
    .map(({ eventId, contactId }) => ({ eventId, contactId }));
  const writes: ContactWrites = { remove: [...leftOver.keys()], contacts, placements, changeTriggers: [] };
  return { writes, contactIds };
}

function changed(row: ContactRow, written: ContactWrites["contacts"][number]): boolean {
  const { billing, source: _source, ...fields } = written;
  if ((Object.keys(fields) as Array<keyof typeof fields>).some((field) => fields[field] !== row[field])) return true;
  return !row.billing || billingFields.some((field) => billing[field] !== row.billing![field]);
}
