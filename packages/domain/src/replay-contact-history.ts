// Stripe delivers events late, twice and out of order. Instead of changing contacts event by event,
// Hookloop keeps each event's contact change and replays the changes of every event linked to the
// new one (through a Stripe customer or an email) in Stripe's order. Whatever the delivery order,
// the same events end in the same contacts: the ones they make applied once, in order. No I/O.
import type { ContactPlan } from "./plan-contact-change";
import { billingStateOf, type BillingState } from "./billing-state";
import { isNewerThan, type EventPosition } from "./event-order";

type WithoutTriggers<T> = T extends unknown ? Omit<T, "triggers"> : never;

/** One Stripe event in a contact history: its contact change (see planContactChange) and its place in Stripe's order. */
export type HistoryEvent = EventPosition & WithoutTriggers<Exclude<ContactPlan, { kind: "unusable" }>>;

export type ReplayedContact = {
  /** The id of the event that created the contact: it names the contact from one replay to the next. */
  key: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  subscribed: boolean;
  /** The first Stripe customer linked to the contact. */
  stripeCustomerId: string | null;
  /** From the billing facts of every event of the Stripe customers linked to the contact (billingStateOf). */
  billing: BillingState;
};

export type PlacedEvent = {
  /** The contact the event concerns and its trigger events belong to; null when there is none (any more). */
  contactKey: string | null;
  /** What the event did, in words a marketer reads on the delivery. */
  reason: string;
  /** The event names no email and its customer has none yet: it cannot be placed until one arrives. */
  unresolvable: boolean;
};

export type ReplayedHistory = { contacts: ReplayedContact[]; events: Map<string, PlacedEvent> };

const compareByPosition = (a: EventPosition, b: EventPosition) => (isNewerThan(a, b) ? 1 : isNewerThan(b, a) ? -1 : 0);

/**
 * The rules, per event in Stripe's order:
 * - a customer's contact is the one its events last linked it to; failing that, the contact with
 *   the event's email; failing that, a new one;
 * - a customer event (customer.created / .updated) speaks for the customer: its name overwrites,
 *   and its email moves the contact, onto the contact of that email if there is one, or, when
 *   another live customer still has the contact, to a new contact of the customer's own;
 * - an invoice or checkout session carries a snapshot: it only fills a name that is missing;
 * - a change from the workspace's own app (the API) names no customer: it finds its contact by
 *   email, its name overwrites, and it may subscribe or unsubscribe the contact;
 * - customer.deleted deletes or unsubscribes the customer's contact, unless another live customer
 *   still has it; events after it leave the contact as it is;
 * - an event's trigger events belong to its contact, and go when that contact is deleted;
 * - a contact's billing state comes from every event of the customers linked to it at the end,
 *   whichever contact each event was placed on (billing is kept per customer, and a customer
 *   that moves takes it along), and from the events with no customer placed on it.
 */
export function replayContactHistory(history: readonly HistoryEvent[]): ReplayedHistory {
  const ordered = [...history].sort(compareByPosition);
  const contacts = new Map<string, ReplayedContact>();
  const byEmail = new Map<string, ReplayedContact>();
  const customers = new Map<string, { contactKey: string | null; deleted: boolean }>();
  const placed = new Map<string, PlacedEvent>();
  /** Deleted contacts, by key: the customer whose deletion took them. */
  const deletedBy = new Map<string, string>();

  // An event that names no email takes its customer's: the linked contact's, else the first it had.
  const firstEmailOf = new Map<string, string>();
  for (const event of ordered) {
    if (event.customerId && event.email && !firstEmailOf.has(event.customerId)) firstEmailOf.set(event.customerId, event.email);
  }
  const newestCustomerEvent = new Map<string, HistoryEvent>();
  for (const event of ordered)
    if (event.kind === "upsert" && event.authoritative && event.customerId) newestCustomerEvent.set(event.customerId, event);

  const create = (event: HistoryEvent, email: string): ReplayedContact => {
    const name = event.kind === "upsert" ? event.name : null;
    const contact: ReplayedContact = {
      key: event.eventId,
      email,
      firstName: name?.firstName ?? null,
      lastName: name?.lastName ?? null,
      subscribed: true,
      stripeCustomerId: event.customerId,
      billing: billingStateOf([]),
    };
    contacts.set(contact.key, contact);
    byEmail.set(email, contact);
    return contact;
  };
  const link = (customerId: string | null, contact: ReplayedContact) => {
    if (!customerId) return;
    customers.set(customerId, { contactKey: contact.key, deleted: false });
    contact.stripeCustomerId ??= customerId;
  };
  const heldByAnother = (contact: ReplayedContact, customerId: string) =>
    [...customers].some(([id, held]) => id !== customerId && !held.deleted && held.contactKey === contact.key);
  const remove = (contact: ReplayedContact) => {
    contacts.delete(contact.key);
    byEmail.delete(contact.email);
    for (const held of customers.values()) if (held.contactKey === contact.key) held.contactKey = null;
  };

  const place = (event: HistoryEvent): PlacedEvent => {
    const done = (contact: ReplayedContact | null, reason: string) => ({
      contactKey: contact?.key ?? null,
      reason,
      unresolvable: false,
    });
    const customer = event.customerId ? customers.get(event.customerId) : undefined;
    const linked = customer?.contactKey ? contacts.get(customer.contactKey)! : null;

    if (customer?.deleted) {
      return done(
        linked,
        event.kind === "delete"
          ? `Customer ${event.customerId} was already deleted.`
          : `Stripe deleted customer ${event.customerId}; later events leave the contact as it is.`,
      );
    }

    const email = event.email ?? linked?.email ?? (event.customerId ? firstEmailOf.get(event.customerId) : undefined) ?? null;
    if (event.kind === "delete") {
      const contact = linked ?? (email ? (byEmail.get(email) ?? null) : null);
      customers.set(event.customerId, { contactKey: contact?.key ?? null, deleted: true });
      if (!contact) return done(null, `Customer ${event.customerId} had no contact; nothing to remove.`);
      if (heldByAnother(contact, event.customerId)) {
        return done(
          contact,
          `Customer ${event.customerId} is deleted, but another Stripe customer still has this contact's email; kept it.`,
        );
      }
      if (event.behaviour === "delete") {
        remove(contact);
        deletedBy.set(contact.key, event.customerId);
        return done(null, `Deleted the contact of customer ${event.customerId}.`);
      }
      contact.subscribed = false;
      return done(contact, `Unsubscribed the contact of customer ${event.customerId}.`);
    }

    if (!email) {
      return {
        contactKey: null,
        unresolvable: true,
        reason: event.customerId
          ? `The event has no email, and Stripe customer ${event.customerId} is not known yet.`
          : "The event has neither an email nor a Stripe customer.",
      };
    }

    let contact: ReplayedContact;
    let reason: string;
    if (linked && event.authoritative && event.email && event.email !== linked.email) {
      const existing = byEmail.get(event.email);
      if (existing) {
        contact = existing;
        reason = `Customer ${event.customerId} moved from ${linked.email} to ${event.email}, which was already a contact.`;
      } else if (heldByAnother(linked, event.customerId!)) {
        contact = create(event, event.email);
        reason = `Customer ${event.customerId} moved from ${linked.email}, which another Stripe customer still has, to ${event.email}: created that contact.`;
      } else {
        reason = `Changed the contact's email from ${linked.email} to ${event.email}.`;
        byEmail.delete(linked.email);
        linked.email = event.email;
        byEmail.set(event.email, linked);
        contact = linked;
      }
    } else if (linked) {
      contact = linked;
      reason = `Updated ${linked.email}.`;
    } else if (byEmail.has(email)) {
      contact = byEmail.get(email)!;
      reason = `Matched contact ${email} by email.`;
    } else {
      contact = create(event, email);
      reason = `Created contact ${email}.`;
    }

    if (event.name && (event.authoritative || (!contact.firstName && !contact.lastName))) {
      contact.firstName = event.name.firstName;
      contact.lastName = event.name.lastName;
    }
    if (event.subscribed != null) contact.subscribed = event.subscribed;
    link(event.customerId, contact);
    if (event.authoritative && event.customerId && newestCustomerEvent.get(event.customerId) !== event) {
      reason = `An event newer than this one was already applied to customer ${event.customerId}; ${contact.email} keeps what it says.`;
    }
    return done(contact, reason);
  };

  for (const event of ordered) placed.set(event.eventId, place(event));
  for (const event of placed.values()) {
    if (event.contactKey && !contacts.has(event.contactKey)) {
      event.reason = `Stripe deleted customer ${deletedBy.get(event.contactKey)} after this event, and its contact with it.`;
      event.contactKey = null;
    }
  }
  for (const contact of contacts.values()) {
    const linked = new Set([...customers].filter(([, held]) => held.contactKey === contact.key).map(([id]) => id));
    contact.billing = billingStateOf(
      ordered.flatMap((event) =>
        event.kind === "upsert" &&
        event.billing &&
        (event.customerId ? linked.has(event.customerId) : placed.get(event.eventId)!.contactKey === contact.key)
          ? [{ eventId: event.eventId, created: event.created, billing: event.billing }]
          : [],
      ),
    );
  }
  return { contacts: [...contacts.values()], events: placed };
}
