import { describe, expect, it } from "vitest";
import type { BillingFact } from "./billing-fact";
import { subscriptionChanges } from "./subscription-changes";

const at = (second: number) => new Date((1_700_000_000 + second) * 1000);
const fact = (status: string, plan = "Pro", ended = false): BillingFact => ({
  kind: "subscription",
  subscriptionId: "sub_1",
  status,
  ended,
  currency: "usd",
  items: [{ plan, currency: "usd", interval: "month", intervalCount: 1, quantity: 1, unitAmount: 2900 }],
  trialEndsAt: null,
  periodEndsAt: null,
  cancelAtPeriodEnd: false,
  canceledAt: null,
});
const event = (eventId: string, second: number, billing: BillingFact | null) => ({
  eventId,
  created: at(second),
  customerId: "cus_1",
  billing,
});

const lifecycle = [
  event("evt_1", 0, fact("trialing")),
  event("evt_2", 10, fact("trialing")),
  event("evt_3", 20, fact("active")),
  event("evt_4", 30, fact("active", "Team")),
  event("evt_5", 40, fact("past_due", "Team")),
  event("evt_6", 50, fact("active", "Team")),
  event("evt_7", 60, fact("canceled", "Team", true)),
  event("evt_8", 70, fact("active", "Team")),
];

describe("subscription changes", () => {
  it("a trial, its activation, an upgrade, a missed payment, a recovery and a cancellation, each once", () => {
    expect(subscriptionChanges(lifecycle).map((change) => `${change.eventId} ${change.key}`)).toEqual([
      "evt_1 sub_1:trialing:1",
      "evt_3 sub_1:active:1",
      "evt_4 sub_1:plan_changed:1",
      "evt_5 sub_1:past_due:1",
      "evt_6 sub_1:active:2",
      "evt_7 sub_1:canceled:1",
    ]);
    expect(subscriptionChanges(lifecycle)[2]).toMatchObject({
      kind: "plan_changed",
      status: "active",
      previousStatus: "active",
      plan: "Team",
      previousPlan: "Pro",
    });
  });

  it("whatever order the events arrive in, the same changes with the same keys", () => {
    const expected = subscriptionChanges(lifecycle);
    for (let shift = 1; shift < lifecycle.length; shift++) {
      const shuffled = [...lifecycle.slice(shift), ...lifecycle.slice(0, shift)].reverse();
      expect(subscriptionChanges(shuffled)).toEqual(expected);
    }
  });

  it("a change a late event moves keeps its key; events that say nothing of subscriptions change nothing", () => {
    const late = subscriptionChanges([event("evt_3", 20, fact("active")), event("evt_x", 5, null)]);
    expect(late.map((change) => `${change.eventId} ${change.key}`)).toEqual(["evt_3 sub_1:active:1"]);
    const earlier = subscriptionChanges([event("evt_3", 20, fact("active")), event("evt_0", 1, fact("active"))]);
    expect(earlier.map((change) => `${change.eventId} ${change.key}`)).toEqual(["evt_0 sub_1:active:1"]);
  });
});
