// Stripe delivers out of order and more than once. Random histories of a few customers and emails
// (customer.created, customer.updated with new emails and names, invoice.paid, customer.deleted,
// and up to two subscriptions per customer: created, updated, deleted, with a late update after),
// delivered shuffled and with duplicates through the real apply path on real Postgres, must end
// where the same events applied once, in Stripe's order, end: the reference model below, written
// from the README's contact rules.
import fc from "fast-check";
import { afterAll, describe, expect } from "vitest";
import { ContactNotResolvableError, applyDelivery, createEndpoint, createWorkspace, withWorkspace } from "@hookloop/core";
import type { Db } from "@hookloop/db/client";
import { splitFullName, toBillingState } from "@hookloop/domain";
import type { SecretBox } from "@hookloop/secrets";
import { recordTestDelivery, stripeEvent } from "@hookloop/testing";
import { test } from "@hookloop/testing/fixtures";

// The file's clients, from the fixtures, for the property runs below (many histories per test).
/** The test's view, as the database owner. */
let db: Db;
/** What the worker connects as: row-level security applies. */
let appDb: Db;
let box: SecretBox;

test.beforeAll(({ db: owner, appDb: app, box: secretBox }) => {
  [db, appDb, box] = [owner, app, secretBox];
});

const customers = ["cus_a", "cus_b", "cus_c"] as const;
const emails = ["ada@example.com", "grace@example.com", "alan@example.com"] as const;
const names = ["Ada Lovelace", "Grace Brewster Hopper", "Alan", "Ada King"] as const;
const triggerNames = {
  "customer.created": "customerCreated",
  "customer.updated": "customerUpdated",
  "customer.deleted": "customerDeleted",
  "invoice.paid": "successfulPayment",
  "customer.subscription.created": "subscriptionStarted",
  "customer.subscription.updated": "subscriptionUpdated",
  "customer.subscription.deleted": "subscriptionCanceled",
} as const;
const statuses = ["active", "trialing", "past_due", "unpaid", "paused", "incomplete"] as const;
const prices = [
  { priceId: "price_pro", nickname: "Pro", unitAmount: 2900, interval: "month" },
  { priceId: "price_team", nickname: "Team", unitAmount: 9900, interval: "month" },
  { priceId: "price_annual", nickname: "Annual", unitAmount: 30_000, interval: "year" },
] as const;
type EventType = keyof typeof triggerNames;
type Behaviour = "delete" | "unsubscribe";

/** A subscription as one of its events says it stands. */
type SubscriptionState = { id: string; status: string; price: number; quantity: number };
/** One Stripe event of a history: what the payload says, in the terms the rules speak of. */
type HistoryEvent = {
  id: string;
  type: EventType;
  created: number;
  customerId: string;
  email: string;
  name: string;
  subscription?: SubscriptionState;
};

// ---- histories -------------------------------------------------------------------------------------

type Step = {
  customer: number;
  kind: "update" | "invoice" | "delete" | "subscription";
  email: number;
  name: number;
  gap: number;
  tag: string;
  /** For a subscription step: which of the customer's two, its new status, price and quantity, and whether it ends it. */
  sub: number;
  status: number;
  price: number;
  quantity: number;
  ends: boolean;
};

const steps = fc.array(
  fc.record({
    customer: fc.nat(customers.length - 1),
    kind: fc.constantFrom<Step["kind"]>(
      "update",
      "update",
      "invoice",
      "invoice",
      "delete",
      "subscription",
      "subscription",
      "subscription",
    ),
    email: fc.nat(emails.length - 1),
    name: fc.nat(names.length - 1),
    // 0: the same second as the previous event, so the event id decides.
    gap: fc.constantFrom(0, 0, 1, 5),
    tag: fc.stringMatching(/^[0-9a-f]{6}$/),
    sub: fc.nat(1),
    status: fc.nat(statuses.length - 1),
    price: fc.nat(prices.length - 1),
    quantity: fc.integer({ min: 1, max: 3 }),
    ends: fc.constantFrom(false, false, true),
  }),
  { minLength: 1, maxLength: 16 },
);

type HistoryOptions = {
  /** Whether customers draw from one pool of emails (so several may share one) or each from its own. */
  sharedEmails: boolean;
};

/**
 * A history as Stripe could produce it: a customer starts with customer.created; updates change
 * its email and name; an invoice carries the customer's email and name at the time; a deleted
 * customer has no later events, and its deletion is strictly the newest of its events. A
 * subscription starts with customer.subscription.created, changes status, price and quantity with
 * .updated and ends with .deleted; after that, one more .updated of it may still come (created
 * later, as a stale echo), which must not bring it back.
 */
function historyOf(plan: Step[], { sharedEmails }: HistoryOptions): HistoryEvent[] {
  const state = new Map<string, { email: string; name: string; last: number; deleted: boolean }>();
  const subscriptions = new Map<string, SubscriptionState & { ended: boolean; echoed: boolean }>();
  const events: HistoryEvent[] = [];
  let clock = 1_700_000_000;
  plan.forEach((step, index) => {
    clock += step.gap;
    const customerId = customers[step.customer]!;
    const email = sharedEmails ? emails[step.email]! : `${customerId}.${emails[step.email]!}`;
    const id = `evt_${step.tag}${String(index).padStart(2, "0")}`;
    const current = state.get(customerId);
    if (current?.deleted) return;
    if (!current) {
      state.set(customerId, { email, name: names[step.name]!, last: clock, deleted: false });
      events.push({
        id,
        type: "customer.created",
        created: clock,
        customerId,
        email,
        name: names[step.name]!,
      });
      return;
    }
    if (step.kind === "update") {
      Object.assign(current, { email, name: names[step.name]!, last: clock });
      events.push({ id, type: "customer.updated", created: clock, customerId, email: current.email, name: current.name });
    } else if (step.kind === "subscription") {
      const subscriptionId = `sub_${customerId}_${step.sub}`;
      const next = { id: subscriptionId, status: statuses[step.status]!, price: step.price, quantity: step.quantity };
      const existing = subscriptions.get(subscriptionId);
      const base = { id, created: clock, customerId, email: current.email, name: current.name };
      if (!existing) {
        subscriptions.set(subscriptionId, { ...next, ended: false, echoed: false });
        events.push({ ...base, type: "customer.subscription.created", subscription: next });
      } else if (existing.ended) {
        if (existing.echoed) return;
        existing.echoed = true;
        events.push({ ...base, type: "customer.subscription.updated", subscription: next });
      } else if (step.ends) {
        Object.assign(existing, { status: "canceled", ended: true });
        events.push({ ...base, type: "customer.subscription.deleted", subscription: { ...existing, status: "canceled" } });
      } else {
        Object.assign(existing, next);
        events.push({ ...base, type: "customer.subscription.updated", subscription: next });
      }
      current.last = clock;
    } else if (step.kind === "invoice") {
      current.last = clock;
      events.push({ id, type: "invoice.paid", created: clock, customerId, email: current.email, name: current.name });
    } else {
      clock = Math.max(clock, current.last + 1);
      Object.assign(current, { deleted: true, last: clock });
      events.push({ id, type: "customer.deleted", created: clock, customerId, email: current.email, name: current.name });
    }
  });
  return events;
}

/** Stripe's order, as the README states it: later `created` first decides, then the larger event id. */
const stripeOrder = (a: HistoryEvent, b: HistoryEvent) => a.created - b.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function payloadOf(event: HistoryEvent) {
  const subscription = event.subscription;
  const price = subscription ? prices[subscription.price]! : undefined;
  return stripeEvent(event.type, {
    id: event.id,
    created: event.created,
    customerId: event.customerId,
    email: event.email,
    name: event.name,
    ...(subscription && price
      ? {
          subscription: {
            id: subscription.id,
            status: subscription.status as "active",
            priceId: price.priceId,
            nickname: price.nickname,
            unitAmount: price.unitAmount,
            interval: price.interval,
            quantity: subscription.quantity,
          },
        }
      : {}),
  });
}

// ---- the reference model ---------------------------------------------------------------------------

/** The billing fields the model predicts (the rest are unit-tested in the domain). */
type ModelBilling = { subscriptionStatus: string | null; plan: string | null; mrr: number };
type ModelContact = {
  email: string;
  firstName: string | null;
  lastName: string | null;
  subscribed: boolean;
  billing: ModelBilling;
};
type Outcome = {
  contacts: ModelContact[];
  /** Each trigger event as `stripe event id name → contact email`. */
  triggers: string[];
};

/**
 * The README's rules applied once per event, in Stripe's order, so every customer event is the
 * newest yet for its customer:
 * - a contact is found by its Stripe customer, else by email; a missing one is created;
 * - a customer event speaks for the customer: its email moves the contact (onto an existing contact
 *   of that email if there is one, leaving the old one behind), its name overwrites; a contact
 *   another live customer still holds stays where it is, and the moving customer gets the contact
 *   of its new email (several customers may share one email);
 * - an invoice carries a snapshot: it only fills names that are missing;
 * - customer.deleted deletes or unsubscribes the customer's contact unless another live Stripe
 *   customer still holds that contact; it is final;
 * - each event fires its trigger once, on the contact it concerns, if that contact still exists;
 *   deleting a contact takes its trigger events with it;
 * - a subscription event names no email (Stripe's subscription carries only the customer id): it
 *   concerns its customer's contact, else the contact of the first email the customer's other
 *   events name in Stripe's order (within one second that can be an email it had later);
 * - a contact's billing comes from the subscriptions of the customers linked to it at the end: each
 *   is its newest event, except that one ever deleted is canceled, at the price it was deleted
 *   with; the status and plan are those of the most relevant (active, trialing, past_due, unpaid,
 *   paused, incomplete, canceled; a tie goes to the one whose deciding event is newest); mrr adds
 *   each active or past_due subscription's unit amount × quantity, a yearly one divided by 12.
 */
function referenceModel(history: HistoryEvent[], behaviour: Behaviour): Outcome {
  type Contact = Omit<ModelContact, "billing"> & { key: number };
  const contacts = new Map<number, Contact>();
  const byEmail = (email: string) => [...contacts.values()].find((contact) => contact.email === email) ?? null;
  const links = new Map<string, { contact: number | null; deleted: boolean }>();
  const triggers: Array<{ key: string; contact: number }> = [];
  let nextKey = 0;
  const ensure = (email: string, name: string | null) => {
    const existing = byEmail(email);
    if (existing) return existing;
    const contact = {
      key: nextKey++,
      email,
      firstName: null,
      lastName: null,
      ...(name && splitFullName(name)),
      subscribed: true,
    };
    contacts.set(contact.key, contact);
    return contact;
  };

  const ordered = [...history].sort(stripeOrder);
  const firstEmailOf = (customerId: string) =>
    ordered.find((event) => event.customerId === customerId && !event.subscription)!.email;

  for (const event of ordered) {
    const link = links.get(event.customerId);
    const linked = link?.contact != null ? (contacts.get(link.contact) ?? null) : null;
    let contact: Contact | null;
    if (event.type === "customer.deleted") {
      contact = linked ?? byEmail(event.email);
      links.set(event.customerId, { contact: contact?.key ?? null, deleted: true });
      if (contact) {
        const heldByAnother = [...links].some(
          ([customerId, other]) => customerId !== event.customerId && !other.deleted && other.contact === contact!.key,
        );
        if (!heldByAnother && behaviour === "delete") {
          contacts.delete(contact.key);
          for (const [, other] of links) if (other.contact === contact.key) other.contact = null;
          contact = null;
        } else if (!heldByAnother) {
          contact.subscribed = false;
        }
      }
    } else if (event.subscription) {
      contact = linked ?? ensure(firstEmailOf(event.customerId), null);
      links.set(event.customerId, { contact: contact.key, deleted: false });
    } else if (event.type === "invoice.paid") {
      contact = linked ?? ensure(event.email, event.name);
      if (!contact.firstName && !contact.lastName) Object.assign(contact, splitFullName(event.name));
      links.set(event.customerId, { contact: contact.key, deleted: false });
    } else {
      if (linked && linked.email !== event.email) {
        // The contact follows its customer, unless another live customer still holds it.
        const shared = [...links].some(
          ([customerId, other]) => customerId !== event.customerId && !other.deleted && other.contact === linked.key,
        );
        contact =
          byEmail(event.email) ?? (shared ? ensure(event.email, event.name) : Object.assign(linked, { email: event.email }));
      } else {
        contact = linked ?? ensure(event.email, event.name);
      }
      Object.assign(contact, splitFullName(event.name));
      links.set(event.customerId, { contact: contact.key, deleted: false });
    }
    if (contact) triggers.push({ key: `${event.id} ${triggerNames[event.type]}`, contact: contact.key });
  }

  const rank = ["active", "trialing", "past_due", "unpaid", "paused", "incomplete", "canceled"];
  const billingOf = (key: number): ModelBilling => {
    const held = new Set([...links].filter(([, link]) => link.contact === key).map(([customerId]) => customerId));
    const deciding = new Map<string, { event: HistoryEvent; position: number; status: string }>();
    ordered.forEach((event, position) => {
      const subscription = event.subscription;
      if (!subscription || !held.has(event.customerId)) return;
      if (deciding.get(subscription.id)?.event.type === "customer.subscription.deleted") return;
      const status = event.type === "customer.subscription.deleted" ? "canceled" : subscription.status;
      deciding.set(subscription.id, { event, position, status });
    });
    const all = [...deciding.values()];
    const relevant = all.sort((a, b) => rank.indexOf(a.status) - rank.indexOf(b.status) || b.position - a.position)[0];
    const mrr = all
      .filter(({ status }) => status === "active" || status === "past_due")
      .reduce((total, { event }) => {
        const price = prices[event.subscription!.price]!;
        return total + (price.unitAmount * event.subscription!.quantity) / (price.interval === "year" ? 12 : 1);
      }, 0);
    return {
      subscriptionStatus: relevant?.status ?? null,
      plan: relevant ? prices[relevant.event.subscription!.price]!.nickname : null,
      mrr: Math.round(mrr),
    };
  };

  return {
    contacts: [...contacts.values()]
      .map(({ key, email, firstName, lastName, subscribed }) => ({
        email,
        firstName,
        lastName,
        subscribed,
        billing: billingOf(key),
      }))
      .sort((a, b) => a.email.localeCompare(b.email)),
    triggers: triggers
      .filter((trigger) => contacts.has(trigger.contact))
      .map((trigger) => `${trigger.key} → ${contacts.get(trigger.contact)!.email}`)
      .sort(),
  };
}

// ---- the real thing ---------------------------------------------------------------------------------

const enable = Object.entries(triggerNames).map(([eventType, triggerName]) => ({ eventType, triggerName }));

/** A delivery of one event of the history: to the first endpoint, or the same event to a second one. */
type Delivery = { event: number; endpoint: 0 | 1 };

/**
 * Records and applies each delivery of the schedule in turn; with `workers` above 1, records them
 * all first, then that many workers apply them concurrently, each taking the next in the schedule.
 */
async function deliverAll(
  history: HistoryEvent[],
  schedule: Delivery[],
  behaviour: Behaviour,
  { workers = 1 }: { workers?: number } = {},
): Promise<Outcome> {
  const workspace = await createWorkspace(db, { name: "Ordering" });
  const endpoints = [
    await withWorkspace(db, workspace.id, (tx) =>
      createEndpoint(tx, { box, workspaceId: workspace.id, name: "Stripe", enable, onCustomerDeleted: behaviour }),
    ),
    await withWorkspace(db, workspace.id, (tx) =>
      createEndpoint(tx, { box, workspaceId: workspace.id, name: "Stripe again", enable, onCustomerDeleted: behaviour }),
    ),
  ];
  const recorded = new Map<string, string>();
  const pending: string[] = [];
  const record = async ({ event, endpoint }: Delivery) => {
    const key = `${event}:${endpoint}`;
    let deliveryId = recorded.get(key);
    if (!deliveryId) {
      const delivery = await recordTestDelivery(db, {
        workspaceId: workspace.id,
        endpointId: endpoints[endpoint]!.id,
        event: payloadOf(history[event]!),
      });
      deliveryId = delivery.id;
      recorded.set(key, deliveryId);
    }
    return deliveryId;
  };
  const apply = async (deliveryId: string) => {
    try {
      await applyDelivery(appDb, { deliveryId, workspaceId: workspace.id });
      return true;
    } catch (error) {
      if (error instanceof ContactNotResolvableError) return false;
      throw error;
    }
  };
  if (workers === 1) {
    // A job run again, or the same event through the second endpoint.
    for (const delivery of schedule) {
      const deliveryId = await record(delivery);
      if (!(await apply(deliveryId))) pending.push(deliveryId);
    }
  } else {
    const queue: string[] = [];
    for (const delivery of schedule) queue.push(await record(delivery));
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (let deliveryId = queue.shift(); deliveryId; deliveryId = queue.shift()) {
          if (!(await apply(deliveryId))) pending.push(deliveryId);
        }
      }),
    );
  }
  // What the worker's backoff would retry once the customer event has arrived.
  for (const deliveryId of pending) await apply(deliveryId);

  const rows = await db.contact.findMany({
    where: { workspaceId: workspace.id },
    select: { email: true, firstName: true, lastName: true, subscribed: true, billing: true },
  });
  const contacts = rows.map(({ billing, ...contact }) => {
    const { subscriptionStatus, plan, mrr } = toBillingState(billing);
    return { ...contact, billing: { subscriptionStatus, plan, mrr } };
  });
  const triggers = await db.triggerEvent.findMany({
    where: { workspaceId: workspace.id },
    select: { stripeEventId: true, name: true, contact: { select: { email: true } } },
  });
  return {
    contacts: contacts.sort((a, b) => a.email.localeCompare(b.email)),
    triggers: triggers.map((trigger) => `${trigger.stripeEventId} ${trigger.name} → ${trigger.contact.email}`).sort(),
  };
}

/**
 * Per test, shrinking runs included: runs, events (of them subscription events), deliveries,
 * duplicate deliveries, runs unlike the model, triggers fired twice.
 */
const figures = new Map<
  string,
  {
    runs: number;
    events: number;
    subscriptionEvents: number;
    deliveries: number;
    duplicates: number;
    mismatches: number;
    triggersFiredTwice: number;
  }
>();

/** A history, and its events shuffled with some delivered again (same delivery, or a second endpoint). */
const scenarios = (options: HistoryOptions, behaviours: Behaviour[]) =>
  steps.chain((plan) => {
    const history = historyOf(plan, options);
    const indexes = history.map((_, index) => index);
    const duplicates = fc.array(fc.record({ event: fc.constantFrom(...indexes), endpoint: fc.constantFrom<0 | 1>(0, 1) }), {
      maxLength: Math.max(1, Math.ceil(history.length / 2)),
    });
    return fc.record({
      history: fc.constant(history),
      behaviour: fc.constantFrom(...behaviours),
      schedule: duplicates.chain((extra) => {
        const all: Delivery[] = [...indexes.map((event) => ({ event, endpoint: 0 as const })), ...extra];
        return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
      }),
    });
  });

type Scenario = { history: HistoryEvent[]; behaviour: Behaviour; schedule: Delivery[] };

async function expectModelOutcome({ history, behaviour, schedule }: Scenario, options: { workers?: number } = {}) {
  const test = expect.getState().currentTestName ?? "";
  const tally = figures.get(test) ?? {
    runs: 0,
    events: 0,
    subscriptionEvents: 0,
    deliveries: 0,
    duplicates: 0,
    mismatches: 0,
    triggersFiredTwice: 0,
  };
  figures.set(test, tally);
  tally.runs++;
  tally.events += history.length;
  tally.subscriptionEvents += history.filter((event) => event.subscription).length;
  tally.deliveries += schedule.length;
  tally.duplicates += schedule.length - history.length;
  const delivered = await deliverAll(history, schedule, behaviour, options);
  const model = referenceModel(history, behaviour);
  if (JSON.stringify(delivered) !== JSON.stringify(model)) tally.mismatches++;
  const fired = delivered.triggers.map((trigger) => trigger.split(" → ")[0]);
  tally.triggersFiredTwice += fired.length - new Set(fired).size;
  expect(delivered, `delivered: ${JSON.stringify(delivered, null, 1)}\nmodel: ${JSON.stringify(model, null, 1)}`).toEqual(model);
}

/** In Stripe's order, each once. */
const inStripeOrder = (history: HistoryEvent[]): Delivery[] =>
  history
    .map((event, index) => ({ event, index }))
    .sort((a, b) => stripeOrder(a.event, b.event))
    .map(({ index }) => ({ event: index, endpoint: 0 as const }));

afterAll(() => {
  for (const [test, tally] of figures) console.info(`${test.split(" > ").at(-1)}: ${JSON.stringify(tally)}`);
});

describe("shuffled and repeated Stripe events end where Stripe's order ends", () => {
  test("customers with emails of their own, each event once in Stripe's order: the apply path and the model agree", async () => {
    const inOrder = steps.chain((plan) => {
      const history = historyOf(plan, { sharedEmails: false });
      return fc.record({
        history: fc.constant(history),
        behaviour: fc.constantFrom<Behaviour>("delete", "unsubscribe"),
        schedule: fc.constant(inStripeOrder(history)),
      });
    });
    await fc.assert(
      fc.asyncProperty(inOrder, (scenario) => expectModelOutcome(scenario)),
      { numRuns: 40 },
    );
  });

  test("customers with emails of their own, shuffled and repeated, contacts deleted with their customer: same end", async () => {
    await fc.assert(
      fc.asyncProperty(scenarios({ sharedEmails: false }, ["delete"]), (scenario) => expectModelOutcome(scenario)),
      { numRuns: 100 },
    );
  });

  test("customers with emails of their own, shuffled and repeated, contacts unsubscribed with their customer: same end", async () => {
    await fc.assert(
      fc.asyncProperty(scenarios({ sharedEmails: false }, ["unsubscribe"]), (scenario) => expectModelOutcome(scenario)),
      { numRuns: 100 },
    );
  });

  test("customers with emails of their own, shuffled and repeated, applied by four workers at once: same end", async () => {
    await fc.assert(
      fc.asyncProperty(scenarios({ sharedEmails: false }, ["delete"]), (scenario) =>
        expectModelOutcome(scenario, { workers: 4 }),
      ),
      { numRuns: 50 },
    );
  });

  test("customers sharing emails, shuffled and repeated, either deletion behaviour: same end", async () => {
    await fc.assert(
      fc.asyncProperty(scenarios({ sharedEmails: true }, ["delete", "unsubscribe"]), (scenario) => expectModelOutcome(scenario)),
      { numRuns: 150 },
    );
  });

  test("customers sharing emails, shuffled and repeated, applied by four workers at once: same end", async () => {
    await fc.assert(
      fc.asyncProperty(scenarios({ sharedEmails: true }, ["delete", "unsubscribe"]), (scenario) =>
        expectModelOutcome(scenario, { workers: 4 }),
      ),
      { numRuns: 50 },
    );
  });
});

/** A few events, given in full: `created` counts seconds from a fixed start. */
const history = (
  ...events: Array<[id: string, type: EventType, created: number, customerId: string, email: string, name: string]>
) =>
  events.map(([id, type, created, customerId, email, name]) => ({
    id,
    type,
    created: 1_700_000_000 + created,
    customerId,
    email,
    name,
  }));
const onceEach = (...order: number[]): Delivery[] => order.map((event) => ({ event, endpoint: 0 }));

const sharedContactMoves = history(
  ["evt_1", "customer.created", 0, "cus_a", "ada@example.com", "Ada Lovelace"],
  ["evt_2", "customer.created", 1, "cus_b", "ada@example.com", "Ada Lovelace"],
  ["evt_3", "customer.updated", 2, "cus_a", "grace@example.com", "Grace Hopper"],
);
const deletionOvertakes = history(
  ["evt_1", "customer.created", 0, "cus_a", "ada@example.com", "Ada Lovelace"],
  ["evt_2", "invoice.paid", 1, "cus_a", "ada@example.com", "Ada Lovelace"],
  ["evt_3", "customer.deleted", 2, "cus_a", "ada@example.com", "Ada Lovelace"],
);
const sharedNames = history(
  ["evt_1", "customer.created", 0, "cus_a", "ada@example.com", "Ada Lovelace"],
  ["evt_2", "customer.created", 1, "cus_b", "ada@example.com", "Ada King"],
);
const sharedDeletedEarly = history(
  ["evt_1", "customer.created", 0, "cus_a", "ada@example.com", "Ada Lovelace"],
  ["evt_2", "customer.created", 1, "cus_b", "ada@example.com", "Ada Lovelace"],
  ["evt_3", "customer.deleted", 2, "cus_a", "ada@example.com", "Ada Lovelace"],
);

// One second, so Stripe's order is the ids': cus_b's subscription sorts before the customer.created
// that named grace, and its first email in that order is ada, which it moved to.
const subscriptionFirstInItsSecond = [
  ...history(["evt_ca1a0000", "customer.created", 0, "cus_b", "grace@example.com", "Ada Lovelace"]),
  {
    ...history(["evt_0aaaa001", "customer.subscription.created", 0, "cus_b", "grace@example.com", "Ada Lovelace"])[0]!,
    subscription: { id: "sub_cus_b_0", status: "active", price: 0, quantity: 1 },
  },
  ...history(
    ["evt_aa000a02", "customer.updated", 0, "cus_b", "ada@example.com", "Ada Lovelace"],
    ["evt_0aaaa003", "customer.created", 0, "cus_a", "ada@example.com", "Ada Lovelace"],
  ),
];

const none: ModelBilling = { subscriptionStatus: null, plan: null, mrr: 0 };
const subscriptionSteps = (...events: Array<[id: string, type: EventType, created: number, subscription: SubscriptionState]>) =>
  events.map(([id, type, created, subscription]) => ({
    id,
    type,
    created: 1_700_000_000 + created,
    customerId: "cus_a",
    email: "ada@example.com",
    name: "Ada Lovelace",
    subscription,
  }));
const twoSubscriptions = [
  ...history(["evt_1", "customer.created", 0, "cus_a", "ada@example.com", "Ada Lovelace"]),
  ...subscriptionSteps(
    ["evt_2", "customer.subscription.created", 1, { id: "sub_1", status: "trialing", price: 0, quantity: 1 }],
    ["evt_3", "customer.subscription.created", 2, { id: "sub_2", status: "active", price: 2, quantity: 2 }],
    ["evt_4", "customer.subscription.updated", 3, { id: "sub_1", status: "active", price: 1, quantity: 1 }],
    ["evt_5", "customer.subscription.deleted", 4, { id: "sub_2", status: "canceled", price: 2, quantity: 2 }],
    ["evt_6", "customer.subscription.updated", 5, { id: "sub_2", status: "active", price: 2, quantity: 2 }],
  ),
];

describe("the reference model", () => {
  test("says what the README says for the cases below", () => {
    expect(referenceModel(sharedContactMoves, "delete").contacts.map((contact) => contact.email)).toEqual([
      "ada@example.com",
      "grace@example.com",
    ]);
    expect(referenceModel(deletionOvertakes, "unsubscribe")).toEqual({
      contacts: [{ email: "ada@example.com", firstName: "Ada", lastName: "Lovelace", subscribed: false, billing: none }],
      triggers: [
        "evt_1 customerCreated → ada@example.com",
        "evt_2 successfulPayment → ada@example.com",
        "evt_3 customerDeleted → ada@example.com",
      ],
    });
    // sub_2 ended before its echo: only sub_1 (Team) counts.
    expect(referenceModel(twoSubscriptions, "delete").contacts[0]!.billing).toEqual({
      subscriptionStatus: "active",
      plan: "Team",
      mrr: 9900,
    });
    expect(referenceModel(twoSubscriptions.slice(0, 4), "delete").contacts[0]!.billing).toEqual({
      subscriptionStatus: "active",
      plan: "Team",
      mrr: 9900 + 5000,
    });
    expect(referenceModel(sharedNames, "delete").contacts).toEqual([
      { email: "ada@example.com", firstName: "Ada", lastName: "King", subscribed: true, billing: none },
    ]);
    expect(referenceModel(sharedDeletedEarly, "delete")).toEqual({
      contacts: [{ email: "ada@example.com", firstName: "Ada", lastName: "Lovelace", subscribed: true, billing: none }],
      triggers: [
        "evt_1 customerCreated → ada@example.com",
        "evt_2 customerCreated → ada@example.com",
        "evt_3 customerDeleted → ada@example.com",
      ],
    });
  });
});

describe("cases the delivery order once decided", () => {
  test("subscriptions delivered newest first, the stale echo of a deleted one included, end as in Stripe's order", async () => {
    await expectModelOutcome({ history: twoSubscriptions, behaviour: "delete", schedule: onceEach(5, 4, 3, 2, 1, 0) });
  });

  test("even in order, a contact two customers share does not follow one of them to a new email", async () => {
    await expectModelOutcome({ history: sharedContactMoves, behaviour: "delete", schedule: onceEach(0, 1, 2) });
  });

  test("a deletion that arrives before the customer's first event still leaves the unsubscribed contact", async () => {
    await expectModelOutcome({ history: deletionOvertakes, behaviour: "unsubscribe", schedule: onceEach(2, 0, 1) });
  });

  test("a contact two customers share takes the name of the newest customer event, whatever the order", async () => {
    await expectModelOutcome({ history: sharedNames, behaviour: "delete", schedule: onceEach(1, 0) });
  });

  test("a subscription event sorted first in its second belongs to the first email its customer's events name", async () => {
    await expectModelOutcome({ history: subscriptionFirstInItsSecond, behaviour: "delete", schedule: onceEach(1, 3, 0, 2) });
  });

  test("a shared contact deleted before the other customer's event arrives keeps its trigger events", async () => {
    await expectModelOutcome({ history: sharedDeletedEarly, behaviour: "delete", schedule: onceEach(0, 2, 1) });
  });
});
