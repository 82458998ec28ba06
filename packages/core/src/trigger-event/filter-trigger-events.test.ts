// The Events page: trigger events by name, contact email and date, paged without skips or repeats.
import { expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import type { PagePosition } from "../contact/filter-contacts";
import { filterTriggerEvents } from "./filter-trigger-events";

test("filters by name, the contact's email and dates, and pages through all of them once while more arrive", async ({
  newEndpoint,
  db,
}) => {
  const { workspaceId, inWorkspace } = await newEndpoint();
  const contact = (email: string) => db.contact.create({ data: { workspaceId, email, subscribed: true, source: "Stripe" } });
  const ada = await contact("ada@example.com");
  const grace = await contact("grace@example.com");
  let n = 0;
  const fire = (name: string, contactId: string, createdAt: string) =>
    db.triggerEvent.create({
      data: {
        workspaceId,
        contactId,
        name,
        properties: {},
        stripeEventId: `evt_${n++}`,
        occurredAt: new Date(createdAt),
        createdAt: new Date(createdAt),
      },
    });
  const a1 = await fire("successfulPayment", ada.id, "2026-11-01T10:00:00Z");
  const g1 = await fire("successfulPayment", grace.id, "2026-11-02T10:00:00Z");
  const a2 = await fire("paymentFailed", ada.id, "2026-11-03T10:00:00Z");
  const g2 = await fire("paymentFailed", grace.id, "2026-11-03T10:00:00Z");

  const ids = async (filter: Omit<Parameters<typeof filterTriggerEvents>[1], "workspaceId" | "limit">) =>
    (await inWorkspace((tx) => filterTriggerEvents(tx, { workspaceId, limit: 50, ...filter }))).rows.map((row) => row.id);
  const tied = [a2.id, g2.id].sort().reverse();
  expect(await ids({})).toEqual([...tied, g1.id, a1.id]);
  expect(await ids({ name: "successfulPayment" })).toEqual([g1.id, a1.id]);
  expect(await ids({ contactEmail: " Ada@Example.com " })).toEqual([a2.id, a1.id]);
  expect(await ids({ since: new Date("2026-11-02T00:00:00Z"), before: new Date("2026-11-03T00:00:00Z") })).toEqual([g1.id]);
  expect(await ids({ contactEmail: "nobody@example.com" })).toEqual([]);

  const seen: string[] = [];
  let after: PagePosition | undefined;
  do {
    const page = await inWorkspace((tx) => filterTriggerEvents(tx, { workspaceId, limit: 1, ...(after ? { after } : {}) }));
    seen.push(...page.rows.map((row) => row.id));
    after = page.next ?? undefined;
    await fire("successfulPayment", ada.id, new Date().toISOString());
  } while (after);
  expect(seen).toEqual([...tied, g1.id, a1.id]);
});
