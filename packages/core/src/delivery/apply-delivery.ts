// What the worker does with one queued delivery: in one transaction, replay the part of the
// workspace's contact history that the event's contact change belongs to, with the event in its
// place, in Stripe's order (@hookloop/domain replayContactHistory); add the event to the history;
// write what the replay changed — contacts, the contact each event and its trigger events belong
// to — and record the outcome on the delivery.
// Safe to run twice, concurrently, or out of order with other deliveries:
// - a delivery that is no longer `queued` is left alone, so a job run twice applies once;
// - the history holds each Stripe event once, and the contacts are whatever replaying it makes,
//   so the order deliveries arrive in does not change the end;
// - deliveries whose parts of the history touch are serialised by advisory locks.
//
// The database work is three functions (prisma/functions/), so one delivery costs five round
// trips (BEGIN, claim, lock, apply, COMMIT)
// on a plain `pg` connection of the Prisma client's own pool, under the same role and row-level
// security:
// - hookloop_claim_delivery names the workspace for the transaction, locks the delivery row and
//   returns its payload and the endpoint's settings;
// - the domain turns those into a contact change (planContactChange);
// - hookloop_lock_contact_history locks the part of the history the change belongs to and returns it;
// - the domain replays the part with the event, billing state included (each event's billing fact
//   is kept in the history with its contact change); contactWrites, below, matches the replayed
//   contacts to rows;
// - hookloop_apply_contact_history adds the event to the history and writes the contacts, the
//   trigger events and the outcome, and returns the trigger events it created;
// - when the workspace has enabled destinations (the claim says which) and trigger events were
//   created, hookloop_record_messages records their destination messages in the same transaction
//   (a transactional outbox: one more round trip, only then). A trigger event a later replay moves
//   to another contact is not created again, so it sends nothing again. For destinations that
//   receive contact changes, the contacts the replay created, changed or deleted are messages too,
//   named by the Stripe event and the contact, so the same change is recorded once.
import { randomUUID } from "node:crypto";
import type { Db, SqlClient } from "@hookloop/db/client";
import { sqlPool } from "@hookloop/db/client";
import {
  billingFactSchema,
  billingFields,
  billingStateSchema,
  erasedEmailHash,
  planContactChange,
  replayContactHistory,
  stripeEventSchema,
  type BillingState,
  type ContactPlan,
  type HistoryEvent,
  type ReplayedHistory,
} from "@hookloop/domain";
import { z } from "zod";
import { contactsLockKey } from "../contact/contacts-lock";
import {
  appliedChangesSchema,
  claimedDestinationSchema,
  contactChangeMessages,
  firedTriggerMessages,
} from "../destination/fired-trigger-messages";
import { withWorkspace } from "../workspace/with-workspace";

/** The event names no contact yet; the customer event that does may still be on its way. */
export class ContactNotResolvableError extends Error {
  override name = "ContactNotResolvableError";
}

/** Another delivery linked this one's part of the history to more while its locks were taken. */
class HistoryPartGrewError extends Error {}

export type ApplyDeliveryOptions = { deliveryId: string; workspaceId: string };

export type ApplyOutcome =
  | {
      status: "processed";
      reason: string;
      contactId: string | null;
      /** The destination messages recorded with it (message row ids), to queue once committed; absent when none. */
      messageIds?: string[];
    }
  | { status: "failed"; reason: string }
  | { status: "skipped"; reason: string };

const deletionBehaviour = z.enum(["delete", "unsubscribe"]);

/** A row of hookloop_claim_delivery: the delivery's status and, while it is queued, what applying it needs. */
const claimedDeliverySchema = z.object({
  status: z.enum(["queued", "processed", "ignored", "failed"]),
  payload: z.unknown(),
  sync_names: z.boolean(),
  on_customer_deleted: deletionBehaviour,
  events: z.array(z.object({ eventType: z.string(), enabled: z.boolean(), triggerName: z.string().nullable() })).nullable(),
  destinations: z.array(claimedDestinationSchema).nullable().optional(),
});

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
type ContactRow = z.infer<typeof contactRowSchema>;

/** What hookloop_lock_contact_history returns: the part of the history, or why there is none. */
const lockedPartSchema = z.union([
  z.object({ retry: z.literal(true) }),
  z.object({ erased: z.literal(true) }),
  z.object({ events: z.array(recordedEventSchema), contacts: z.array(contactRowSchema) }),
]);
/** Where an event of the part belonged after the last replay. */
type Placement = { eventId: string; contactId: string | null };
type ContactWrites = {
  remove: string[];
  contacts: Array<Omit<ContactRow, "firstEventId" | "billing"> & { firstEventId: string; billing: BillingState }>;
  placements: Array<{ eventId: string; contactId: string | null }>;
};

// Named statements: each connection parses and plans them once.
const claimStatement = "SELECT * FROM hookloop_claim_delivery($1, $2::uuid)";
const lockStatement = "SELECT hookloop_lock_contact_history($1, $2, $3, $4::bigint, $5) AS part";
const applyStatement = "SELECT hookloop_apply_contact_history($1::uuid, $2::jsonb, $3::jsonb) AS fired";
const recordMessagesStatement = "SELECT hookloop_record_messages($1::jsonb) AS ids";

const erasedReason = "This email was erased at the contact's request; Hookloop does not add it again.";
const noWrites: ContactWrites = { remove: [], contacts: [], placements: [] };

// Takes the client, not a WorkspaceTx: it runs its own transaction on a pg connection, and
// hookloop_claim_delivery sets the workspace in SQL.
export async function applyDelivery(db: Db, options: ApplyDeliveryOptions): Promise<ApplyOutcome> {
  try {
    return await inTransaction(db, (client) => applyClaimed(client, options, { exclusive: false }));
  } catch (error) {
    if (!(error instanceof HistoryPartGrewError)) throw error;
    return inTransaction(db, (client) => applyClaimed(client, options, { exclusive: true }));
  }
}

async function inTransaction<T>(db: Db, work: (client: SqlClient) => Promise<T>): Promise<T> {
  const client = await sqlPool(db).connect();
  let unusable: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
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

async function applyClaimed(
  client: SqlClient,
  options: ApplyDeliveryOptions,
  lock: { exclusive: boolean },
): Promise<ApplyOutcome> {
  const claimed = await client.query({
    name: "hookloop_claim_delivery",
    text: claimStatement,
    values: [options.workspaceId, options.deliveryId],
  });
  const row = claimed.rows[0] === undefined ? undefined : claimedDeliverySchema.parse(claimed.rows[0]);
  if (row?.status !== "queued") {
    return { status: "skipped", reason: row ? `The delivery is already ${row.status}.` : "The delivery no longer exists." };
  }

  /** Writes the event into the history, what changed, and the delivery's outcome. */
  const finish = async <Outcome extends ApplyOutcome>(
    outcome: Outcome,
    {
      event,
      writes,
      stripeEvent,
    }: {
      event?: { eventId: string; created: Date; change: ContactPlan };
      writes?: ContactWrites;
      /** The Stripe event behind the contact changes, for their messages. */
      stripeEvent?: { id: string; type: string; created: Date };
    } = {},
  ): Promise<Outcome> => {
    const destinations = row.destinations ?? [];
    const reportContacts = destinations.some((destination) => destination.contactChanges);
    const applied = await client.query<{ fired: unknown }>({
      name: "hookloop_apply_contact_history",
      text: applyStatement,
      values: [options.deliveryId, event ?? null, { ...(writes ?? noWrites), outcome, reportContacts }],
    });
    if (!destinations.length || outcome.status !== "processed") return outcome;
    const { fired, contacts } = appliedChangesSchema.parse(applied.rows[0]?.fired ?? {});
    const messages = [
      ...firedTriggerMessages(options.workspaceId, fired, destinations),
      ...(stripeEvent ? contactChangeMessages(options.workspaceId, stripeEvent, contacts, destinations) : []),
    ];
    if (!messages.length) return outcome;
    const recorded = await client.query<{ ids: string[] }>({
      name: "hookloop_record_messages",
      text: recordMessagesStatement,
      values: [JSON.stringify(messages)],
    });
    const messageIds = recorded.rows[0]?.ids ?? [];
    return messageIds.length ? { ...outcome, messageIds } : outcome;
  };

  const parsed = stripeEventSchema.safeParse(row.payload);
  if (!parsed.success) return finish({ status: "failed", reason: "The stored payload is not a Stripe event." });
  const event = parsed.data;
  const plan = planContactChange(event, {
    syncNames: row.sync_names,
    onCustomerDeleted: row.on_customer_deleted,
    events: row.events ?? [],
  });
  if (plan.kind === "unusable") return finish({ status: "failed", reason: plan.reason });

  const locked = await client.query<{ part: unknown }>({
    name: "hookloop_lock_contact_history",
    text: lockStatement,
    values: [
      plan.customerId,
      plan.email,
      plan.email === null ? null : erasedEmailHash(options.workspaceId, plan.email),
      contactsLockKey(options.workspaceId).toString(),
      lock.exclusive,
    ],
  });
  const part = lockedPartSchema.parse(locked.rows[0]?.part);
  if ("retry" in part) throw new HistoryPartGrewError();
  if ("erased" in part) return finish({ status: "processed", reason: erasedReason, contactId: null });

  // The event joins the part (unless it is there already: the same Stripe event through another
  // endpoint, or a replay of this delivery).
  const created = new Date(event.created * 1000);
  const history = part.events.map(historyEventOf);
  const placedBefore: Placement[] = part.events.map(({ eventId, contactId }) => ({ eventId, contactId }));
  if (!placedBefore.some((placement) => placement.eventId === event.id)) {
    history.push({ ...plan, eventId: event.id, created });
    placedBefore.push({ eventId: event.id, contactId: null });
  }
  const replayed = replayContactHistory(history);
  const placed = replayed.events.get(event.id)!;
  if (placed.unresolvable) throw new ContactNotResolvableError(placed.reason);
  const { writes, contactIds } = contactWrites(part.contacts, placedBefore, replayed, event.id);
  return finish(
    { status: "processed", reason: placed.reason, contactId: placed.contactKey ? contactIds.get(placed.contactKey)! : null },
    { event: { eventId: event.id, created, change: plan }, writes, stripeEvent: { id: event.id, type: event.type, created } },
  );
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
  };
}

/**
 * What to write so that the contact rows of a part of the history match its replay. A replayed
 * contact is the row created by the same event, else the row with its email, else a new row; rows
 * left over are contacts the history no longer makes. Only what changed is written, plus the
 * delivery's own event, which joins the history and whose trigger events may be new.
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
    const written = { id: row?.id ?? randomUUID(), firstEventId: key, ...fields };
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
  return { writes: { remove: [...leftOver.keys()], contacts, placements }, contactIds };
}

function changed(row: ContactRow, written: ContactWrites["contacts"][number]): boolean {
  const { billing, ...fields } = written;
  if ((Object.keys(fields) as Array<keyof typeof fields>).some((field) => fields[field] !== row[field])) return true;
  return !row.billing || billingFields.some((field) => billing[field] !== row.billing![field]);
}

export type FailDeliveryOptions = { deliveryId: string; workspaceId: string; reason: string };

/** Marks a delivery failed for good, in a transaction of its own: the one that failed may have been rolled back. */
export async function failDelivery(db: Db, options: FailDeliveryOptions): Promise<void> {
  await withWorkspace(db, options.workspaceId, async (tx) => {
    await tx.delivery.updateMany({
      where: { id: options.deliveryId, status: "queued" },
      data: { status: "failed", reason: options.reason, processedAt: new Date() },
    });
    await tx.deliveryOutbox.deleteMany({ where: { deliveryId: options.deliveryId } });
  });
}
