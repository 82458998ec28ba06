import { expect } from "vitest";
import { recordTestDelivery, stripeEvent } from "@hookloop/testing";
import { test } from "@hookloop/testing/fixtures";
import { NotFoundError } from "../errors";
import { getEndpointDiagnosis } from "./get-endpoint-diagnosis";

const now = new Date("2026-12-01T17:40:00Z");
const hour = (iso: string) => new Date(iso);

test("counts refusals per cause since the previous hour and over 7 days, with the latest, in the page's order", async ({
  newEndpoint,
  db,
}) => {
  const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
  await db.endpointRefusal.createMany({
    data: [
      { cause: "no_matching_signature", hour: hour("2026-12-01T17:00:00Z"), count: 30, lastAt: hour("2026-12-01T17:38:12Z") },
      { cause: "no_matching_signature", hour: hour("2026-12-01T16:00:00Z"), count: 11, lastAt: hour("2026-12-01T16:59:00Z") },
      { cause: "no_matching_signature", hour: hour("2026-11-28T09:00:00Z"), count: 4, lastAt: hour("2026-11-28T09:10:00Z") },
      { cause: "stale_timestamp", hour: hour("2026-11-30T08:00:00Z"), count: 2, lastAt: hour("2026-11-30T08:05:00Z") },
      // Older than 7 days: not shown.
      { cause: "missing_signature", hour: hour("2026-11-20T08:00:00Z"), count: 9, lastAt: hour("2026-11-20T08:05:00Z") },
      // A cause this version does not know (written by a newer ingest): left out.
      { cause: "something_new", hour: hour("2026-12-01T17:00:00Z"), count: 1, lastAt: hour("2026-12-01T17:01:00Z") },
    ].map((row) => ({ ...row, workspaceId, endpointId })),
  });
  const diagnosis = await inWorkspace((tx) => getEndpointDiagnosis(tx, { workspaceId, endpointId, now }));
  expect(diagnosis.recentSince).toEqual(hour("2026-12-01T16:00:00Z"));
  expect(diagnosis.refusals).toEqual([
    { cause: "no_matching_signature", recent: 41, week: 45, lastAt: hour("2026-12-01T17:38:12Z") },
    { cause: "stale_timestamp", recent: 0, week: 2, lastAt: hour("2026-11-30T08:05:00Z") },
  ]);
});

test("says when the last verified event arrived, and that an endpoint is quiet after 7 days without one", async ({
  newEndpoint,
  db,
}) => {
  const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
  const diagnose = (at: Date) => inWorkspace((tx) => getEndpointDiagnosis(tx, { workspaceId, endpointId, now: at }));
  // New, no event yet: not quiet until it is 7 days old.
  expect(await diagnose(new Date())).toMatchObject({ lastEventAt: null, quiet: false, refusals: [] });
  expect(await diagnose(new Date(Date.now() + 8 * 86_400_000))).toMatchObject({ lastEventAt: null, quiet: true });

  const delivery = await recordTestDelivery(db, { workspaceId, endpointId, event: stripeEvent("invoice.paid") });
  expect((await diagnose(new Date())).lastEventAt).toEqual(delivery.receivedAt);
  expect((await diagnose(new Date(delivery.receivedAt.getTime() + 6 * 86_400_000))).quiet).toBe(false);
  expect((await diagnose(new Date(delivery.receivedAt.getTime() + 7 * 86_400_000 + 60_000))).quiet).toBe(true);
});

test("another workspace's endpoint is not found, and its refusals are never read", async ({ newEndpoint, db }) => {
  const a = await newEndpoint();
  const b = await newEndpoint();
  await db.endpointRefusal.create({
    data: { workspaceId: a.workspaceId, endpointId: a.endpointId, cause: "missing_signature", hour: now, count: 1, lastAt: now },
  });
  await expect(
    b.inWorkspace((tx) => getEndpointDiagnosis(tx, { workspaceId: b.workspaceId, endpointId: a.endpointId, now })),
  ).rejects.toThrow(NotFoundError);
  await expect(
    b.inWorkspace((tx) => getEndpointDiagnosis(tx, { workspaceId: a.workspaceId, endpointId: a.endpointId, now })),
  ).rejects.toThrow(NotFoundError);
  // Even asked outright, row-level security shows B none of A's counts.
  expect(await b.inWorkspace((tx) => tx.endpointRefusal.count())).toBe(0);
  expect(await a.inWorkspace((tx) => tx.endpointRefusal.count())).toBe(1);
});
