import { expect, it } from "vitest";
import { parseStripeEvent } from "./stripe-event";

const event = {
  id: "evt_1",
  object: "event",
  type: "invoice.paid",
  created: 1_750_000_000,
  livemode: false,
  data: { object: {} },
};

it("reads a Stripe event", () => {
  expect(parseStripeEvent(JSON.stringify(event))).toMatchObject({ ok: true, event: { id: "evt_1", type: "invoice.paid" } });
});

it.each([
  ["not JSON", "{", "The body is not valid JSON."],
  ["no id", JSON.stringify({ ...event, id: undefined }), 'The body is not a Stripe event at "id"'],
  ["a NUL character, which Postgres cannot store", JSON.stringify({ ...event, note: "a\u0000b" }), "NUL"],
  ["a `created` past year 9999", JSON.stringify({ ...event, created: 10_000_000_000_000 }), "before year 10000"],
])("refuses a body with %s, saying so", (_label, body, reason) => {
  const result = parseStripeEvent(body);
  expect(result.ok).toBe(false);
  expect(result.ok ? "" : result.reason).toContain(reason);
});

it("takes an escaped backslash followed by u0000 for the text it is", () => {
  expect(parseStripeEvent(JSON.stringify({ ...event, note: "C:\\u0000" })).ok).toBe(true);
});
