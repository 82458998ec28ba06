import type { Db } from "@hookloop/db/client";
import { normaliseEmail, type BillingFact, type PlannedTrigger } from "@hookloop/domain";
import type { FiredTrigger } from "../destination/fired-trigger-messages";
import type { WorkspaceTx } from "../workspace/with-workspace";
import {
  ContactNotResolvableError,
  enabledDestinations,
  lockContactHistory,
  replayPart,
  statementsIn,
  withContactHistory,
  writeReplay,
  type HistoryLock,
  type HistorySql,
  type NewHistoryEvent,
} from "./contact-history";

export type ApplyContactChangeOptions = {
  workspaceId: string;
  /**
   * Unique in the workspace's history, and never a Stripe event id: `api_<uuid>` for the
   * workspace's own app (API_EVENT_PREFIX), `import_<run>_<Stripe object id>` for an import.
   */
  eventId: string;
  /** Its place in Stripe's order: when Hookloop received it (the API), or when the record was read (an import). */
  created: Date;
  customerId: string | null;
  email: string | null;
  /** Names to set; one left out keeps what the contact has when the change is applied. */
  name?: { firstName?: string | null; lastName?: string | null };
  /** Speaks for the person, as a customer event does: its name overwrites (and, with a customer, its email moves the contact). */
  authoritative: boolean;
  billing?: BillingFact | null;
  /** Subscribes or unsubscribes the contact; left out, the change says nothing about it. */
  subscribed?: boolean;
  /** Trigger events to fire on the contact, sent to destinations like those of Stripe's events. */
  triggers?: PlannedTrigger[];
  /** The type its destination messages name for contact changes: "api", "import". */
  origin: string;
};

export type ContactChangeOutcome =
  | {
      status: "applied";
      /** The contact the change landed on; null when the history leaves it none (its customer was deleted). */
      contactId: string | null;
      reason: string;
      /** The trigger events it created, with their contact. */
      fired: FiredTrigger[];
      /** The destination messages recorded with it, to queue once committed. */
      messageIds: string[];
    }
  | { status: "erased" };

/**
 * Adds a change that is not a Stripe delivery to the workspace's contact history and applies it
 * as the worker applies a delivery: the part of the history it belongs to is replayed with it in
 * its place in Stripe's order (by `created`), so it and Stripe's events end in the order of their
 * times whichever is applied first, and an erased email is refused. In a transaction of its own.
 * Applying the same event id twice changes nothing the second time.
 */
export async function applyContactChange(db: Db, options: ApplyContactChangeOptions): Promise<ContactChangeOutcome> {
  return withContactHistory(db, async (client, lock) => {
    await client.query({
      name: "hookloop_set_workspace",
      text: "SELECT set_config('app.workspace_id', $1, true)",
      values: [options.workspaceId],
    });
    return applyInTransaction(client, options, lock);
  });
}

/**
 * The same inside the caller's workspace transaction, so that what the caller records with it
 * (an API answer kept for its Idempotency-Key) commits with it. It holds the workspace's contacts
 * lock alone, as a retry of applyContactChange does: there is no transaction of its own to run
 * again if its part of the history grew while its locks were taken, and changes made this way are
 * few next to Stripe's deliveries.
 */
export async function applyContactChangeInWorkspace(tx: WorkspaceTx, options: ApplyContactChangeOptions) {
  return applyInTransaction(statementsIn(tx), options, { exclusive: true });
}

async function applyInTransaction(
  client: HistorySql,
  options: ApplyContactChangeOptions,
  lock: HistoryLock,
): Promise<ContactChangeOutcome> {
  const { workspaceId } = options;
  const email = options.email === null ? null : normaliseEmail(options.email);
  const part = await lockContactHistory(client, workspaceId, { customerId: options.customerId, email }, lock);
  if ("erased" in part) return { status: "erased" };

  let name: { firstName: string | null; lastName: string | null } | null = null;
  if (options.name && (options.name.firstName !== undefined || options.name.lastName !== undefined)) {
    const current = part.contacts.find((contact) => contact.email === email);
    name = {
      firstName: options.name.firstName !== undefined ? options.name.firstName : (current?.firstName ?? null),
      lastName: options.name.lastName !== undefined ? options.name.lastName : (current?.lastName ?? null),
    };
  }
  const event: NewHistoryEvent = {
    eventId: options.eventId,
    created: options.created,
    change: {
      kind: "upsert",
      customerId: options.customerId,
      email,
      name,
      authoritative: options.authoritative,
      billing: options.billing ?? null,
      subscribed: options.subscribed ?? null,
      triggers: options.triggers ?? [],
    },
  };
  const replayed = replayPart(part, event);
  if (replayed.placed.unresolvable) throw new ContactNotResolvableError(replayed.placed.reason);

  const { fired, messageIds } = await writeReplay(client, {
    workspaceId,
    deliveryId: null,
    event,
    writes: replayed.writes,
    outcome: { status: "processed", reason: replayed.placed.reason, contactId: replayed.contactId },
    destinations: await enabledDestinations(client),
    origin: { id: options.eventId, type: options.origin, created: options.created },
  });
  return { status: "applied", contactId: replayed.contactId, reason: replayed.placed.reason, fired, messageIds };
}
