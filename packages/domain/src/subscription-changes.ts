// The changes of subscription status and plan that a contact history shows, each once: walking
// every subscription's facts in Stripe's order, a subscription "becomes" a status when its status
// differs from the one before (its first fact included: created trialing is "became trialing"), and
// changes plan when its first item's plan differs. After its deletion nothing more changes. Each
// change is named by its subscription, kind and how many times before the history showed the same
// (the second recovery to active is `sub_1:active:2`), so a late event that moves where a change
// shows does not make it a new one. No I/O.
import { isNewerThan, type EventPosition } from "./event-order";
import type { BillingFact } from "./billing-fact";

/** The subscription changes a marketer can name a trigger event for, with the settings' pseudo event type of each. */
export const subscriptionChangeKinds = ["trialing", "active", "past_due", "canceled", "plan_changed"] as const;
export type SubscriptionChangeKind = (typeof subscriptionChangeKinds)[number];

/** Where an endpoint keeps the trigger name of a change: beside its Stripe events, as `subscription:<kind>`. */
export const subscriptionChangeSettingType = (kind: SubscriptionChangeKind) => `subscription:${kind}`;
export const subscriptionChangeSettingTypes = subscriptionChangeKinds.map(subscriptionChangeSettingType);

export const subscriptionChangeLabels: Record<SubscriptionChangeKind, string> = {
  trialing: "A subscription starts a trial",
  active: "A subscription becomes active (new, after a trial, or recovered)",
  past_due: "A subscription's payment becomes past due",
  canceled: "A subscription is canceled",
  plan_changed: "A subscription changes plan (upgrade or downgrade)",
};

export type SubscriptionChange = {
  /** Names the change across replays: `<subscription>:<kind>:<n>`. */
  key: string;
  kind: SubscriptionChangeKind;
  /** The event that first shows it: its trigger event belongs to that event's contact. */
  eventId: string;
  created: Date;
  customerId: string | null;
  subscriptionId: string;
  status: string;
  previousStatus: string | null;
  plan: string | null;
  previousPlan: string | null;
};

type FactEvent = EventPosition & { customerId: string | null; billing?: BillingFact | null };

const statusKinds = new Set<string>(["trialing", "active", "past_due", "canceled"]);

export function subscriptionChanges(history: readonly FactEvent[]): SubscriptionChange[] {
  const ordered = [...history].sort((a, b) => (isNewerThan(a, b) ? 1 : isNewerThan(b, a) ? -1 : 0));
  const last = new Map<string, { status: string; plan: string | null; ended: boolean }>();
  const seen = new Map<string, number>();
  const changes: SubscriptionChange[] = [];
  for (const event of ordered) {
    const fact = event.billing;
    if (fact?.kind !== "subscription") continue;
    const before = last.get(fact.subscriptionId);
    if (before?.ended) continue;
    const status = fact.ended ? "canceled" : fact.status;
    const plan = fact.items[0]?.plan ?? null;
    const shown: SubscriptionChangeKind[] = [];
    if (status !== before?.status && statusKinds.has(status)) shown.push(status as SubscriptionChangeKind);
    if (before && plan !== before.plan) shown.push("plan_changed");
    for (const kind of shown) {
      const ordinal = (seen.get(`${fact.subscriptionId}:${kind}`) ?? 0) + 1;
      seen.set(`${fact.subscriptionId}:${kind}`, ordinal);
      changes.push({
        key: `${fact.subscriptionId}:${kind}:${ordinal}`,
        kind,
        eventId: event.eventId,
        created: event.created,
        customerId: event.customerId,
        subscriptionId: fact.subscriptionId,
        status,
        previousStatus: before?.status ?? null,
        plan,
        previousPlan: before?.plan ?? null,
      });
    }
    last.set(fact.subscriptionId, { status, plan, ended: fact.ended });
  }
  return changes;
}
