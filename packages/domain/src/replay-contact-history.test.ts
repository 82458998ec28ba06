import { describe, expect, it } from "vitest";
import { replayContactHistory, type HistoryEvent } from "./replay-contact-history";

const at = (second: number) => new Date((1_700_000_000 + second) * 1000);
const name = (firstName: string, lastName: string | null = null) => ({ firstName, lastName });

const customer = (eventId: string, second: number, customerId: string, email: string, fullName = name("Ada")): HistoryEvent => ({
  kind: "upsert",
  eventId,
  created: at(second),
  customerId,
  email,
  name: fullName,
  authoritative: true,
  billing: null,
});
const invoice = (eventId: string, second: number, customerId: string | null, email: string | null): HistoryEvent => ({
  kind: "upsert",
  eventId,
  created: at(second),
  customerId,
  email,
  name: name("Snapshot"),
  authoritative: false,
  billing: null,
});
/** A change from the workspace's own app (PUT /v1/contacts/by-email/…). */
const fromApi = (
  eventId: string,
  second: number,
  email: string,
  change: { name?: ReturnType<typeof name>; subscribed?: boolean },
): HistoryEvent => ({
  kind: "upsert",
  eventId,
  created: at(second),
  customerId: null,
  email,
  name: change.name ?? null,
  authoritative: true,
  billing: null,
  subscribed: change.subscribed ?? null,
});
const deleted = (eventId: string, second: number, customerId: string, behaviour: "delete" | "unsubscribe"): HistoryEvent => ({
  kind: "delete",
  eventId,
  created: at(second),
  customerId,
  email: null,
  behaviour,
});

/** Every order of the events ends the same. */
function everyOrder(events: HistoryEvent[]): HistoryEvent[][] {
  if (events.length <= 1) return [events];
  return events.flatMap((event, index) =>
    everyOrder([...events.slice(0, index), ...events.slice(index + 1)]).map((rest) => [event, ...rest]),
  );
}

const summary = (events: HistoryEvent[]) => {
  const replayed = replayContactHistory(events);
  return {
    contacts: replayed.contacts.map((contact) => `${contact.email} ${contact.firstName} ${contact.subscribed}`).sort(),
    placed: [...replayed.events].map(([id, event]) => `${id} → ${event.contactKey}`).sort(),
  };
};

describe("replayContactHistory", () => {
  it("ends the same in every delivery order", () => {
    const events = [
      customer("evt_1", 0, "cus_a", "ada@example.com", name("Ada", "Lovelace")),
      invoice("evt_2", 1, "cus_a", null),
      customer("evt_3", 2, "cus_b", "ada@example.com", name("Ada", "King")),
      customer("evt_4", 3, "cus_a", "grace@example.com", name("Grace")),
      deleted("evt_5", 4, "cus_b", "delete"),
    ];
    const inOrder = summary(events);
    for (const order of everyOrder(events)) expect(summary(order)).toEqual(inOrder);
    // cus_a moved away while cus_b still had ada@: ada@ stayed with cus_b and went with its deletion.
    expect(inOrder.contacts).toEqual(["grace@example.com Grace true"]);
    expect(inOrder.placed).toEqual(["evt_1 → null", "evt_2 → null", "evt_3 → null", "evt_4 → evt_4", "evt_5 → null"]);
  });

  it("a customer event moves its contact; an older one arriving later does not move it back", () => {
    const replayed = replayContactHistory([
      customer("evt_2", 2, "cus_a", "new@example.com"),
      customer("evt_1", 1, "cus_a", "old@example.com"),
    ]);
    expect(replayed.contacts).toMatchObject([{ key: "evt_1", email: "new@example.com", stripeCustomerId: "cus_a" }]);
    expect(replayed.events.get("evt_1")!.reason).toBe(
      "An event newer than this one was already applied to customer cus_a; old@example.com keeps what it says.",
    );
    expect(replayed.events.get("evt_2")!.reason).toBe("Changed the contact's email from old@example.com to new@example.com.");
  });

  it("an invoice's snapshot fills a missing name and never overwrites one", () => {
    const replayed = replayContactHistory([
      invoice("evt_1", 0, null, "a@example.com"),
      invoice("evt_2", 1, "cus_a", "a@example.com"),
    ]);
    expect(replayed.contacts).toMatchObject([{ email: "a@example.com", firstName: "Snapshot", stripeCustomerId: "cus_a" }]);
  });

  it("a shared contact outlives one customer's deletion, and unsubscribes with the last", () => {
    const events = [
      customer("evt_1", 0, "cus_a", "ada@example.com"),
      customer("evt_2", 1, "cus_b", "ada@example.com"),
      deleted("evt_3", 2, "cus_a", "unsubscribe"),
    ];
    expect(replayContactHistory(events).contacts).toMatchObject([{ email: "ada@example.com", subscribed: true }]);
    expect(replayContactHistory([...events, deleted("evt_4", 3, "cus_b", "unsubscribe")]).contacts).toMatchObject([
      { email: "ada@example.com", subscribed: false },
    ]);
  });

  it("cannot place an event with no email whose customer has none yet", () => {
    expect(replayContactHistory([invoice("evt_1", 0, "cus_a", null)]).events.get("evt_1")).toEqual({
      contactKey: null,
      unresolvable: true,
      reason: "The event has no email, and Stripe customer cus_a is not known yet.",
    });
  });

  it("billing is kept per customer: a customer that moves to another contact takes its subscription along", () => {
    const subscribed: HistoryEvent = {
      kind: "upsert",
      eventId: "evt_2",
      created: at(1),
      customerId: "cus_a",
      email: null,
      name: null,
      authoritative: false,
      billing: {
        kind: "subscription",
        subscriptionId: "sub_1",
        status: "active",
        ended: false,
        currency: "usd",
        items: [{ plan: "Pro", currency: "usd", interval: "month", intervalCount: 1, quantity: 1, unitAmount: 2900 }],
        trialEndsAt: null,
        periodEndsAt: null,
        cancelAtPeriodEnd: false,
        canceledAt: null,
      },
    };
    const events = [
      customer("evt_1", 0, "cus_a", "ada@example.com"),
      subscribed,
      customer("evt_3", 2, "cus_b", "grace@example.com", name("Grace")),
      customer("evt_4", 3, "cus_a", "grace@example.com"),
    ];
    for (const order of everyOrder(events)) {
      const byEmail = Object.fromEntries(replayContactHistory(order).contacts.map((contact) => [contact.email, contact.billing]));
      expect(byEmail["ada@example.com"]).toMatchObject({ subscriptionStatus: null, mrr: 0 });
      expect(byEmail["grace@example.com"]).toMatchObject({ subscriptionStatus: "active", plan: "Pro", mrr: 2900 });
    }
  });

  it("an API change and a Stripe event of the same contact end as their times say, in any delivery order", () => {
    const events = [
      customer("evt_1", 0, "cus_a", "ada@example.com", name("Ada", "Lovelace")),
      fromApi("api_2", 1, "ada@example.com", { name: name("Augusta", "King"), subscribed: false }),
      customer("evt_3", 2, "cus_a", "ada@example.com", name("Ada", "Byron")),
    ];
    for (const order of everyOrder(events)) {
      expect(replayContactHistory(order).contacts).toMatchObject([
        { email: "ada@example.com", firstName: "Ada", lastName: "Byron", subscribed: false, stripeCustomerId: "cus_a" },
      ]);
    }
    for (const order of everyOrder(events.slice(0, 2))) {
      expect(replayContactHistory(order).contacts).toMatchObject([{ firstName: "Augusta", lastName: "King", subscribed: false }]);
    }
  });

  it("an API change for a new email creates a contact no Stripe customer holds, which a later customer event joins", () => {
    const replayed = replayContactHistory([
      fromApi("api_1", 0, "grace@example.com", { name: name("Grace") }),
      customer("evt_2", 1, "cus_b", "grace@example.com", name("Grace", "Hopper")),
      fromApi("api_3", 2, "grace@example.com", { subscribed: true }),
    ]);
    expect(replayed.contacts).toMatchObject([
      {
        key: "api_1",
        email: "grace@example.com",
        firstName: "Grace",
        lastName: "Hopper",
        subscribed: true,
        stripeCustomerId: "cus_b",
      },
    ]);
    expect(replayed.events.get("api_3")).toMatchObject({
      contactKey: "api_1",
      reason: "Matched contact grace@example.com by email.",
    });
  });

  it("an API change never deletes a contact, and a contact Stripe deleted comes back only by a newer API change", () => {
    const events = [
      customer("evt_1", 0, "cus_a", "ada@example.com"),
      deleted("evt_2", 1, "cus_a", "delete"),
      fromApi("api_3", 2, "ada@example.com", { subscribed: true }),
    ];
    for (const order of everyOrder(events)) {
      expect(replayContactHistory(order).contacts).toMatchObject([{ key: "api_3", email: "ada@example.com", subscribed: true }]);
    }
    expect(replayContactHistory([...events.slice(0, 2), fromApi("api_0", -1, "ada@example.com", {})]).contacts).toEqual([]);
  });
});
