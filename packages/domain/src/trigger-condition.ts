// An optional condition on a mapped event's trigger event: it fires only when the condition holds
// for what the event says (its trigger properties). A condition that does not hold is said on the
// delivery in plain words. No I/O.
import { z } from "zod";
import type { TriggerProperties } from "./plan-contact-change";
import { stripeEventCatalogue, type StripeObjectKind, type SupportedEventType } from "./stripe-event-catalogue";

export const triggerConditionSchema = z.discriminatedUnion("kind", [
  /** The invoice that starts a subscription (Stripe's billing_reason `subscription_create`). */
  z.object({ kind: z.literal("first_invoice") }),
  /** The event's amount, in the smallest unit of its currency (4900 is $49.00), at least this. */
  z.object({ kind: z.literal("min_amount"), amount: z.number().int().positive().max(100_000_000_000) }),
  /** The plan (price nickname, else product name, else price id), compared without case. */
  z.object({ kind: z.literal("plan"), plan: z.string().trim().min(1).max(200) }),
]);
export type TriggerCondition = z.infer<typeof triggerConditionSchema>;
export type TriggerConditionKind = TriggerCondition["kind"];

/** Which conditions make sense for the events of each Stripe object: those whose trigger properties carry what they test. */
const conditionsByObject: Record<StripeObjectKind, readonly TriggerConditionKind[]> = {
  customer: [],
  invoice: ["first_invoice", "min_amount", "plan"],
  subscription: ["min_amount", "plan"],
  checkout_session: ["min_amount"],
  charge: ["min_amount"],
  dispute: ["min_amount"],
  payment_intent: ["min_amount"],
  quote: ["min_amount"],
};

export function conditionKindsFor(eventType: SupportedEventType): readonly TriggerConditionKind[] {
  return conditionsByObject[stripeEventCatalogue[eventType].object];
}

export function describeCondition(condition: TriggerCondition): string {
  switch (condition.kind) {
    case "first_invoice":
      return "only the first invoice of a subscription";
    case "min_amount":
      return `only an amount of at least ${condition.amount} (smallest currency unit)`;
    case "plan":
      return `only the plan ${condition.plan}`;
  }
}

/** Null when the condition holds for the trigger's properties; else why it does not, to say on the delivery. */
export function conditionRefusal(condition: TriggerCondition, properties: TriggerProperties): string | null {
  switch (condition.kind) {
    case "first_invoice":
      return properties.billingReason === "subscription_create"
        ? null
        : `it is not the first invoice of a subscription (billing reason: ${String(properties.billingReason ?? "none")})`;
    case "min_amount": {
      const amount = typeof properties.amount === "number" ? properties.amount : null;
      if (amount === null) return "the event has no amount";
      return amount >= condition.amount ? null : `its amount, ${amount}, is below ${condition.amount}`;
    }
    case "plan": {
      const plan = typeof properties.plan === "string" ? properties.plan : null;
      if (plan === null) return "the event names no plan";
      return plan.toLowerCase() === condition.plan.toLowerCase() ? null : `its plan is ${plan}, not ${condition.plan}`;
    }
  }
}

/** An endpoint's setting for one event type, as the database hands it over. */
export const endpointEventSettingSchema = z.object({
  eventType: z.string(),
  enabled: z.boolean(),
  triggerName: z.string().nullable(),
  condition: triggerConditionSchema.nullable().optional(),
});

/** A delivery's reason, with why its trigger event did not fire when a condition held it back. */
export function withTriggerNote(reason: string, change: { triggerNote?: string }): string {
  return change.triggerNote ? `${reason} ${change.triggerNote}` : reason;
}

/**
 * A condition as a form sends it: a kind ("" for none) and one value (the amount in the smallest
 * currency unit, or the plan's name), or why it cannot be one.
 */
export function conditionFromForm(
  kind: string,
  value: string,
): { ok: true; condition: TriggerCondition | null } | { ok: false; message: string } {
  const text = value.trim();
  switch (kind) {
    case "":
      return { ok: true, condition: null };
    case "first_invoice":
      return { ok: true, condition: { kind } };
    case "min_amount": {
      const amount = /^\d{1,11}$/.test(text) ? Number(text) : Number.NaN;
      return amount > 0
        ? { ok: true, condition: { kind, amount } }
        : { ok: false, message: "Give the amount in the currency's smallest unit, as a whole number: 4900 for $49.00." };
    }
    case "plan":
      return text && text.length <= 200
        ? { ok: true, condition: { kind, plan: text } }
        : { ok: false, message: "Name the plan: its price nickname or product name as Stripe shows it." };
    default:
      return { ok: false, message: "Choose one of the conditions offered." };
  }
}
