import { describe, expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { createWorkspace, listTriggerEventNames, withWorkspace } from "../index";
import type { Db } from "@hookloop/db/client";

/** A workspace with one contact that fired the given trigger events, written as the database owner. */
async function workspaceWithTriggers(db: Db, names: string[]) {
  const workspace = await createWorkspace(db, { name: "Acme" });
  const contact = await db.contact.create({
    data: { workspaceId: workspace.id, email: `ada-${workspace.id}@example.com`, source: "stripe" },
  });
  await db.triggerEvent.createMany({
    data: names.map((name, index) => ({
      workspaceId: workspace.id,
      contactId: contact.id,
      name,
      properties: {},
      stripeEventId: `evt_${index}`,
      occurredAt: new Date(),
    })),
  });
  return workspace.id;
}

describe("listTriggerEventNames", () => {
  test("lists each name the workspace's trigger events carry once, A to Z, and none of another workspace's", async ({
    db,
    appDb,
  }) => {
    const workspaceId = await workspaceWithTriggers(db, ["successfulPayment", "customerCreated", "successfulPayment"]);
    await workspaceWithTriggers(db, ["otherWorkspaceOnly"]);

    const names = await withWorkspace(appDb, workspaceId, (tx) => listTriggerEventNames(tx, { workspaceId }));
    expect(names).toEqual(["customerCreated", "successfulPayment"]);
  });
});
