import { describe, expect, it } from "vitest";
import { planContactChange, type EndpointSettings } from "./plan-contact-change";
import type { StripeEvent } from "./stripe-event";
import {
  conditionFromForm,
  conditionKindsFor,
  conditionRefusal,
  triggerConditionSchema,
  type TriggerCondition,
} from "./trigger-condition";

const invoicePaid = (invoice: Record<string, unknown>): StripeEvent => ({
  id: "evt_1",
  object: "event",
  type: "invoice.paid",
  created: 1_700_000_000,
  livemode: false,
  data: {
    object: {
      id: "in_1",
      customer: "cus_1",
      customer_email: "ada@example.com",
      amount_paid: 4900,
      currency: "usd",
      lines: { data: [{ price: { id: "price_1", nickname: "Pro" } }] },
      ...invoice,
    },
  },
});

const settingsWith = (condition: TriggerCondition): EndpointSettings => ({
  syncNames: true,
  onCustomerDeleted: "delete",
  events: [{ eventType: "invoice.paid", enabled: true, triggerName: "successfulPayment", condition }],
});

describe("trigger conditions", () => {
  it("first invoice only: the subscription's first invoice fires, a renewal does not and the delivery says why", () => {
    const first = planContactChange(
      invoicePaid({ billing_reason: "subscription_create" }),
      settingsWith({ kind: "first_invoice" }),
    );
    expect(first).toMatchObject({ triggers: [{ name: "successfulPayment" }] });
    expect(first).not.toHaveProperty("triggerNote");

    const renewal = planContactChange(
      invoicePaid({ billing_reason: "subscription_cycle" }),
      settingsWith({ kind: "first_invoice" }),
    );
    expect(renewal).toMatchObject({
      kind: "upsert",
      email: "ada@example.com",
      triggers: [],
      triggerNote:
        "successfulPayment did not fire: it is not the first invoice of a subscription (billing reason: subscription_cycle) (only the first invoice of a subscription).",
    });
  });

  it("an amount at least X and a plan, compared without case", () => {
    expect(planContactChange(invoicePaid({}), settingsWith({ kind: "min_amount", amount: 4900 }))).toMatchObject({
      triggers: [{ name: "successfulPayment", properties: { amount: 4900 } }],
    });
    expect(planContactChange(invoicePaid({}), settingsWith({ kind: "min_amount", amount: 5000 }))).toMatchObject({
      triggers: [],
      triggerNote: expect.stringContaining("its amount, 4900, is below 5000"),
    });
    expect(planContactChange(invoicePaid({}), settingsWith({ kind: "plan", plan: "pro" }))).toMatchObject({
      triggers: [{ name: "successfulPayment", properties: { plan: "Pro" } }],
    });
    expect(planContactChange(invoicePaid({}), settingsWith({ kind: "plan", plan: "Team" }))).toMatchObject({
      triggers: [],
      triggerNote: expect.stringContaining("its plan is Pro, not Team"),
    });
  });

  it("a condition on what the event does not carry refuses plainly, and the contact change itself still happens", () => {
    expect(conditionRefusal({ kind: "plan", plan: "Pro" }, {})).toBe("the event names no plan");
    expect(conditionRefusal({ kind: "min_amount", amount: 1 }, { amount: "12" })).toBe("the event has no amount");
    const plan = planContactChange(invoicePaid({ lines: { data: [] } }), settingsWith({ kind: "plan", plan: "Pro" }));
    expect(plan).toMatchObject({ kind: "upsert", email: "ada@example.com", billing: { kind: "invoice_paid", amount: 4900 } });
  });

  it("each event offers the conditions its properties can answer; bad conditions do not parse", () => {
    expect(conditionKindsFor("invoice.paid")).toEqual(["first_invoice", "min_amount", "plan"]);
    expect(conditionKindsFor("customer.subscription.updated")).toEqual(["min_amount", "plan"]);
    expect(conditionKindsFor("checkout.session.completed")).toEqual(["min_amount"]);
    expect(conditionKindsFor("customer.created")).toEqual([]);
    expect(triggerConditionSchema.safeParse({ kind: "min_amount", amount: -5 }).success).toBe(false);
    expect(triggerConditionSchema.safeParse({ kind: "plan", plan: "  " }).success).toBe(false);
    expect(triggerConditionSchema.safeParse({ kind: "weekday" }).success).toBe(false);
  });
});

describe("a condition from the settings form", () => {
  it("reads each kind, and says plainly what is wrong with a value", () => {
    expect(conditionFromForm("", "ignored")).toEqual({ ok: true, condition: null });
    expect(conditionFromForm("first_invoice", "")).toEqual({ ok: true, condition: { kind: "first_invoice" } });
    expect(conditionFromForm("min_amount", " 4900 ")).toEqual({ ok: true, condition: { kind: "min_amount", amount: 4900 } });
    expect(conditionFromForm("min_amount", "49.00")).toMatchObject({
      ok: false,
      message: expect.stringContaining("4900 for $49.00"),
    });
    expect(conditionFromForm("min_amount", "0")).toMatchObject({ ok: false });
    expect(conditionFromForm("plan", " Pro ")).toEqual({ ok: true, condition: { kind: "plan", plan: "Pro" } });
    expect(conditionFromForm("plan", "")).toMatchObject({ ok: false });
    expect(conditionFromForm("weekday", "")).toMatchObject({ ok: false });
  });
});
