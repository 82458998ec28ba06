import { expect, test } from "vitest";
import { replayRefusal } from "./delivery-replay";

test("a failed or ignored delivery of a handled event can be replayed", () => {
  expect(replayRefusal({ status: "failed", type: "invoice.paid" })).toBeNull();
  expect(replayRefusal({ status: "ignored", type: "customer.created" })).toBeNull();
});

test("a queued or processed delivery is not replayed", () => {
  expect(replayRefusal({ status: "processed", type: "invoice.paid" })).toBe(
    "Only failed or ignored deliveries can be replayed; this one is processed.",
  );
  expect(replayRefusal({ status: "queued", type: "invoice.paid" })).toMatch(/this one is queued/);
});

test("an event type Hookloop does not handle is not replayed, ignored or not", () => {
  expect(replayRefusal({ status: "ignored", type: "customer.tax_id.created" })).toBe(
    "Hookloop does not handle customer.tax_id.created events, so a replay could only ignore it again.",
  );
});
