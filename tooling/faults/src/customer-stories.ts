// The load the fault tests send, and what the database must hold once it is all applied.
// Each customer has a short story: created, renamed twice, pays an invoice. Its events are
// shuffled with everyone else's, as Stripe does not deliver in order, so the final name is right
// only if the ordering rule held under the fault.
import type { Db } from "@hookloop/db/client";
import { stripeEvent } from "@hookloop/testing";
import type { Tenant } from "./hookloop-stack";
import type { OutgoingEvent } from "./stripe-harness";

/** The endpoint settings the stories need: every event of a story fires one trigger. */
export const storyEventRules = ["customer.created=signedUp", "customer.updated=profileUpdated", "invoice.paid=paid"];

export type Stories = {
  /** In every email of these stories, to tell their contacts from other tests'. */
  tag: string;
  events: OutgoingEvent[];
  /** Per workspace: email → the last name the latest customer event gave. */
  contacts: Map<string, Map<string, string>>;
};

let batch = 0;

/** `customersPerTenant` stories of 4 events per tenant, shuffled (deterministically, by `seed`). */
export function customerStories(
  tenants: Tenant[],
  { customersPerTenant, seed = 1 }: { customersPerTenant: number; seed?: number },
) {
  const run = `${Date.now().toString(36)}${batch++}`;
  const base = Math.floor(Date.now() / 1000) - 3_600;
  const events: OutgoingEvent[] = [];
  const contacts = new Map<string, Map<string, string>>();
  tenants.forEach((tenant, tenantIndex) => {
    const emails = new Map<string, string>();
    contacts.set(tenant.workspaceId, emails);
    for (let index = 0; index < customersPerTenant; index++) {
      const customerId = `cus_${run}t${tenantIndex}c${index}`;
      const email = `c${index}.${run}@t${tenantIndex}.faults.test`; // `.${run}@` is the tag
      const created = base + index * 10;
      const story = [
        stripeEvent("customer.created", { customerId, email, name: `Customer${index} v1`, created }),
        stripeEvent("customer.updated", { customerId, email, name: `Customer${index} v2`, created: created + 1 }),
        stripeEvent("customer.updated", { customerId, email, name: `Customer${index} v3`, created: created + 2 }),
        stripeEvent("invoice.paid", { customerId, email, name: `Customer${index} v1`, created: created + 3 }),
      ];
      emails.set(email, "v3");
      for (const event of story) events.push({ id: event.id, target: tenant.target, event });
    }
  });
  return { tag: `.${run}@`, events: shuffle(events, seed), contacts } satisfies Stories;
}

function shuffle<T>(items: T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

/** How many of these events' deliveries are processed, and how many failed for good. */
export async function deliveryProgress(db: Db, eventIds: string[]) {
  const rows = await db.delivery.groupBy({ by: ["status"], where: { stripeEventId: { in: eventIds } }, _count: true });
  const count = (status: string) => rows.find((row) => row.status === status)?._count ?? 0;
  return { processed: count("processed"), failed: count("failed"), queued: count("queued"), ignored: count("ignored") };
}

export type Outcome = {
  /** Acknowledged (answered 2xx) events whose delivery is missing or was not processed. */
  lost: number;
  failed: number;
  contacts: number;
  missingContacts: number;
  extraContacts: number;
  /** Contacts whose name is not the latest customer event's. */
  misordered: number;
  triggerEvents: number;
  /** Trigger events beyond one per delivery. */
  duplicates: number;
  /** Deliveries that fired no trigger event. */
  missingTriggerEvents: number;
};

/** The outcome when nothing went wrong: every story applied once, in order. */
export function cleanOutcome(stories: Stories): Outcome {
  return {
    lost: 0,
    failed: 0,
    contacts: [...stories.contacts.values()].reduce((sum, emails) => sum + emails.size, 0),
    missingContacts: 0,
    extraContacts: 0,
    misordered: 0,
    triggerEvents: stories.events.length,
    duplicates: 0,
    missingTriggerEvents: 0,
  };
}

/**
 * Compares the database with what should be there once every event in `events` is applied:
 * `acknowledged` are the ids Hookloop answered 2xx.
 */
export async function readOutcome(db: Db, stories: Stories, acknowledged: Set<string>): Promise<Outcome> {
  const workspaceIds = [...stories.contacts.keys()];
  const eventIds = stories.events.map((event) => event.id);
  const deliveries = await db.delivery.findMany({
    where: { stripeEventId: { in: eventIds } },
    select: { id: true, stripeEventId: true, status: true },
  });
  const processed = new Set(deliveries.filter((row) => row.status === "processed").map((row) => row.stripeEventId));
  const lost = [...acknowledged].filter((id) => !processed.has(id)).length;

  const contacts = await db.contact.findMany({
    where: { workspaceId: { in: workspaceIds }, email: { contains: stories.tag } },
    select: { workspaceId: true, email: true, lastName: true },
  });
  let missingContacts = 0;
  let misordered = 0;
  for (const [workspaceId, emails] of stories.contacts) {
    for (const [email, lastName] of emails) {
      const found = contacts.filter((contact) => contact.workspaceId === workspaceId && contact.email === email);
      if (!found.length) missingContacts++;
      else if (found.some((contact) => contact.lastName !== lastName)) misordered++;
    }
  }
  const expectedContacts = [...stories.contacts.values()].reduce((sum, emails) => sum + emails.size, 0);

  const triggerEvents = await db.triggerEvent.findMany({
    where: { workspaceId: { in: workspaceIds }, stripeEventId: { in: eventIds } },
    select: { deliveryId: true, stripeEventId: true, name: true },
  });
  const fired = new Set(triggerEvents.map((row) => row.stripeEventId));
  return {
    lost,
    failed: deliveries.filter((row) => row.status === "failed").length,
    contacts: contacts.length,
    missingContacts,
    extraContacts: Math.max(0, contacts.length - (expectedContacts - missingContacts)),
    misordered,
    triggerEvents: triggerEvents.length,
    duplicates: triggerEvents.length - fired.size,
    missingTriggerEvents: [...processed].filter((id) => !fired.has(id)).length,
  };
}
