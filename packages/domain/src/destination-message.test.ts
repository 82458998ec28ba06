import { describe, expect, it } from "vitest";
import { noBilling } from "./billing-state";
import { contactRecordFields } from "./contact-record";
import {
  attemptOutcome,
  contactChangedMessage,
  destinationMessageId,
  destinationMessageSchema,
  destinationSubscriptionSchema,
  maxDeliveryAttempts,
  nextAttemptDelay,
  nextStepAfterAttempt,
  retryDelaysMs,
  subscriptionIncludes,
  triggerFiredMessage,
  type DestinationSubscription,
} from "./destination-message";

const contactRow = {
  id: "5f0c7a52-8a8e-4a55-9a40-3f6f2b0e6c11",
  workspaceId: "ws_internal",
  email: "ada@example.com",
  firstName: "Ada",
  lastName: "Lovelace",
  subscribed: true,
  source: "stripe",
  stripeCustomerId: "cus_123",
  billing: { ...noBilling, subscriptionStatus: "active", plan: "Pro", interval: "month", mrr: 4900, currency: "eur" },
  createdAt: new Date("2026-03-01T09:00:00.000Z"),
  updatedAt: new Date("2026-03-02T10:30:00.000Z"),
  firstEventId: "evt_first",
};

const paid = () =>
  triggerFiredMessage({
    workspaceId: "ws_1",
    occurredAt: new Date("2026-03-02T10:29:58.000Z"),
    trigger: { name: "successfulPayment", properties: { amount: 4900, currency: "eur", plan: "pro" } },
    stripeEvent: { id: "evt_1", type: "invoice.paid" },
    contact: contactRow,
  });

describe("a trigger.fired message", () => {
  it("carries the trigger, the Stripe event and the contact as it is after the event", () => {
    const message = paid();
    expect(message).toEqual({
      type: "trigger.fired",
      id: expect.stringMatching(/^msg_[0-9a-f]{32}$/),
      occurredAt: "2026-03-02T10:29:58.000Z",
      workspace: { id: "ws_1" },
      trigger: { name: "successfulPayment", properties: { amount: 4900, currency: "eur", plan: "pro" } },
      stripeEvent: { id: "evt_1", type: "invoice.paid" },
      contact: {
        id: "5f0c7a52-8a8e-4a55-9a40-3f6f2b0e6c11",
        email: "ada@example.com",
        firstName: "Ada",
        lastName: "Lovelace",
        subscribed: true,
        source: "stripe",
        stripeCustomerId: "cus_123",
        billing: { ...noBilling, subscriptionStatus: "active", plan: "Pro", interval: "month", mrr: 4900, currency: "eur" },
        createdAt: "2026-03-01T09:00:00.000Z",
        updatedAt: "2026-03-02T10:30:00.000Z",
      },
    });
  });

  it("is the documented payload, read back the same from its JSON", () => {
    const message = paid();
    expect(destinationMessageSchema.parse(JSON.parse(JSON.stringify(message)))).toEqual(message);
  });

  it("carries every field of the contact list, and no internal column", () => {
    const { contact } = paid();
    expect(Object.keys(contact).sort()).toEqual([...contactRecordFields].sort());
    expect(contact).not.toHaveProperty("workspaceId");
    expect(contact).not.toHaveProperty("firstEventId");
  });

  it("keeps its id however often it is built: one trigger event, one message", () => {
    expect(paid().id).toBe(paid().id);
    expect(paid().id).toBe(destinationMessageId("ws_1", "trigger.fired", ["evt_1", "successfulPayment"]));
    expect(destinationMessageId("ws_1", "trigger.fired", ["evt_1", "otherTrigger"])).not.toBe(paid().id);
    expect(destinationMessageId("ws_2", "trigger.fired", ["evt_1", "successfulPayment"])).not.toBe(paid().id);
  });
});

describe("a contact change message", () => {
  it("names its Stripe event", () => {
    const message = contactChangedMessage({
      type: "contact.unsubscribed",
      workspaceId: "ws_1",
      occurredAt: new Date("2026-03-02T10:29:58.000Z"),
      stripeEvent: { id: "evt_2", type: "customer.deleted" },
      contact: { ...contactRow, subscribed: false },
    });
    expect(message).toMatchObject({
      type: "contact.unsubscribed",
      stripeEvent: { id: "evt_2", type: "customer.deleted" },
      contact: { email: "ada@example.com", subscribed: false },
    });
    expect(destinationMessageSchema.parse(JSON.parse(JSON.stringify(message)))).toEqual(message);
  });

  it("made in Hookloop (an erasure) has no Stripe event, and is named by the change instead", () => {
    const erased = (changeKey: string) =>
      contactChangedMessage({
        type: "contact.deleted",
        workspaceId: "ws_1",
        occurredAt: new Date("2026-03-03T08:00:00.000Z"),
        changeKey,
        stripeEvent: null,
        contact: contactRow,
      });
    expect(erased("erasure_1")).toMatchObject({
      type: "contact.deleted",
      stripeEvent: null,
      contact: { email: "ada@example.com" },
    });
    expect(erased("erasure_1").id).toBe(erased("erasure_1").id);
    expect(erased("erasure_2").id).not.toBe(erased("erasure_1").id);
  });
});

describe("which destinations a message goes to", () => {
  const trigger = (name: string) => ({ type: "trigger.fired" as const, trigger: { name } });
  const everything: DestinationSubscription = { triggers: "all", contactChanges: true };
  const paymentsOnly: DestinationSubscription = { triggers: ["successfulPayment"], contactChanges: false };
  const audienceOnly: DestinationSubscription = { triggers: [], contactChanges: true };

  it("every trigger event reaches a destination taking all of them", () => {
    expect(subscriptionIncludes(everything, trigger("successfulPayment"))).toBe(true);
    expect(subscriptionIncludes(everything, trigger("anythingElse"))).toBe(true);
  });

  it("only the chosen trigger names reach a destination that chose some", () => {
    expect(subscriptionIncludes(paymentsOnly, trigger("successfulPayment"))).toBe(true);
    expect(subscriptionIncludes(paymentsOnly, trigger("paymentFailed"))).toBe(false);
    expect(subscriptionIncludes(audienceOnly, trigger("successfulPayment"))).toBe(false);
  });

  it.each(["contact.created", "contact.updated", "contact.unsubscribed", "contact.deleted"] as const)(
    "%s reaches only destinations taking contact changes",
    (type) => {
      expect(subscriptionIncludes(everything, { type })).toBe(true);
      expect(subscriptionIncludes(audienceOnly, { type })).toBe(true);
      expect(subscriptionIncludes(paymentsOnly, { type })).toBe(false);
    },
  );

  it("a full message can be asked about directly", () => {
    expect(subscriptionIncludes(paymentsOnly, paid())).toBe(true);
  });
});

describe("a destination's subscription as a form submits it", () => {
  it("is kept, with repeated trigger names once", () => {
    expect(destinationSubscriptionSchema.parse({ triggers: ["paid", "paid", "failed"], contactChanges: false })).toEqual({
      triggers: ["paid", "failed"],
      contactChanges: false,
    });
    expect(destinationSubscriptionSchema.parse({ triggers: "all", contactChanges: true })).toEqual({
      triggers: "all",
      contactChanges: true,
    });
  });

  it("that would receive nothing is refused with a plain message", () => {
    const result = destinationSubscriptionSchema.safeParse({ triggers: [], contactChanges: false });
    expect(result.success ? null : result.error.issues[0]!.message).toBe(
      "Choose at least one trigger event, or the contact changes, for this destination to receive.",
    );
  });

  it("with a trigger name no trigger can have is refused", () => {
    const result = destinationSubscriptionSchema.safeParse({ triggers: ["paid invoice"], contactChanges: false });
    expect(result.success ? null : result.error.issues[0]!.message).toBe(
      "Use only letters, digits, _ and - in a trigger event name.",
    );
  });
});

describe("the retry schedule", () => {
  const second = 1_000;
  const hour = 3_600_000;

  it("waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then 24 h, and gives up after the ninth attempt", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((attempt) => nextAttemptDelay(attempt, 0.5))).toEqual([
      5 * second,
      5 * 60 * second,
      30 * 60 * second,
      2 * hour,
      5 * hour,
      10 * hour,
      10 * hour,
      24 * hour,
      null,
    ]);
    expect(maxDeliveryAttempts).toBe(9);
  });

  it("spreads each wait by up to a fifth either way, so failures at one moment do not retry together", () => {
    expect(nextAttemptDelay(1, 0)).toBe(4 * second);
    expect(nextAttemptDelay(1, 0.999_999)).toBe(6 * second);
    expect(nextAttemptDelay(8, 0)).toBe(19.2 * hour);
    expect(nextAttemptDelay(2, 0.25)).toBe(270 * second);
  });

  it("ends about two days after the first attempt", () => {
    const total = retryDelaysMs.reduce((sum, delay) => sum + delay, 0);
    expect(total / hour).toBeCloseTo(51.58, 1);
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses attempt number %s", (attempt) => {
    expect(() => nextAttemptDelay(attempt, 0.5)).toThrow(RangeError);
  });

  it("refuses a random number outside 0 to 1", () => {
    expect(() => nextAttemptDelay(1, 1.5)).toThrow(RangeError);
    expect(() => nextAttemptDelay(1, -0.1)).toThrow(RangeError);
  });
});

describe("what an attempt's answer means", () => {
  it.each([200, 201, 202, 204, 299])("%i delivers the message", (status) => {
    expect(attemptOutcome(status)).toBe("delivered");
  });

  it("410 Gone pauses the destination", () => {
    expect(attemptOutcome(410)).toBe("pause-destination");
  });

  it.each([[301], [302], [400], [401], [404], [429], [500], [503], [null]])("%s is tried again", (status) => {
    expect(attemptOutcome(status)).toBe("retry");
  });

  it("a failure is retried on schedule until the last attempt, then given up", () => {
    expect(nextStepAfterAttempt({ status: 500, attemptNumber: 1, random: 0.5 })).toEqual({ kind: "retry", delayMs: 5_000 });
    expect(nextStepAfterAttempt({ status: null, attemptNumber: 8, random: 0.5 })).toEqual({
      kind: "retry",
      delayMs: 24 * hourMs,
    });
    expect(nextStepAfterAttempt({ status: 503, attemptNumber: 9, random: 0.5 })).toEqual({ kind: "give-up" });
    expect(nextStepAfterAttempt({ status: 200, attemptNumber: 9, random: 0.5 })).toEqual({ kind: "delivered" });
    expect(nextStepAfterAttempt({ status: 410, attemptNumber: 3, random: 0.5 })).toEqual({ kind: "pause-destination" });
  });
});

const hourMs = 3_600_000;
