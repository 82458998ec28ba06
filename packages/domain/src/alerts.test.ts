import { expect, test } from "vitest";
import { alertMail, defaultAlertThresholds, endpointTrouble, pausedForFailures } from "./alerts";

const quiet = { deliveriesBefore: 0, deliveriesSince: 0, failedLastHour: 0, signatureFailuresLastHour: 0 };

test("an endpoint is silent only when it usually receives events and has received none since", () => {
  expect(endpointTrouble({ ...quiet, deliveriesBefore: 20 }, defaultAlertThresholds).map((t) => t.kind)).toEqual([
    "endpoint.silent",
  ]);
  expect(endpointTrouble({ ...quiet, deliveriesBefore: 19 }, defaultAlertThresholds)).toEqual([]);
  expect(endpointTrouble({ ...quiet, deliveriesBefore: 500, deliveriesSince: 1 }, defaultAlertThresholds)).toEqual([]);
});

test("failed deliveries and refused signatures together reach the hourly threshold", () => {
  const failing = endpointTrouble(
    { ...quiet, deliveriesSince: 9, failedLastHour: 6, signatureFailuresLastHour: 4 },
    defaultAlertThresholds,
  );
  expect(failing).toEqual([
    { kind: "endpoint.failing", details: { failedLastHour: 6, signatureFailuresLastHour: 4, threshold: 10 } },
  ]);
  expect(endpointTrouble({ ...quiet, deliveriesSince: 9, failedLastHour: 9 }, defaultAlertThresholds)).toEqual([]);
});

test("only a pause Hookloop made for failures is an alert", () => {
  expect(pausedForFailures({ pausedAt: new Date(), pausedReason: "The destination answered 410 Gone." })).toBe(true);
  expect(
    pausedForFailures({ pausedAt: new Date(), pausedReason: "Paused by kim@shop.example at 2026-12-01 10:00:00 UTC." }),
  ).toBe(false);
  expect(pausedForFailures({ pausedAt: null, pausedReason: null })).toBe(false);
});

test("the notice names the workspace, what is wrong and where to look; the resolved one says it cleared", () => {
  const notice = {
    kind: "endpoint.silent" as const,
    workspace: "Acme",
    subject: "Stripe live",
    details: { silenceMinutes: 90, deliveriesBefore: 40 },
    openedAt: new Date("2026-12-01T10:00:00Z"),
    url: "https://hookloop.example/endpoints/ep_1",
  };
  const opened = alertMail({ ...notice, phase: "opened" });
  expect(opened.subject).toBe("[Acme] Alert: Stripe live has received no events");
  expect(opened.text).toContain("for 90 minutes, though it received 40 in the week before.");
  expect(opened.text).toContain("https://hookloop.example/endpoints/ep_1");
  expect(alertMail({ ...notice, phase: "resolved" }).subject).toBe("[Acme] Resolved: Stripe live has received no events");
});
