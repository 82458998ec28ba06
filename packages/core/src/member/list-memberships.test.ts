import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import type { Db } from "@hookloop/db/client";
import { test } from "@hookloop/testing/fixtures";
import { createWorkspace, listMembers, listMemberships, withWorkspace } from "../index";

async function newUser(db: Db, name: string) {
  const id = randomUUID();
  return db.user.create({ data: { id, name, email: `${name.toLowerCase()}-${id}@acme.test` } });
}

async function join(db: Db, workspaceId: string, userId: string, role: string, createdAt: Date) {
  await db.member.create({ data: { id: randomUUID(), workspaceId, userId, role, createdAt } });
}

describe("listMemberships and listMembers", () => {
  test("a user's workspaces come oldest membership first with their role; a workspace's members in the order they joined", async ({
    db,
    appDb,
  }) => {
    const olivia = await newUser(db, "Olivia");
    const tom = await newUser(db, "Tom");
    const acme = await createWorkspace(db, { name: "Acme" });
    const side = await createWorkspace(db, { name: "Side project" });
    await join(db, side.id, olivia.id, "owner", new Date("2026-11-02T00:00:00Z"));
    await join(db, acme.id, olivia.id, "owner", new Date("2026-11-01T00:00:00Z"));
    await join(db, acme.id, tom.id, "member", new Date("2026-11-03T00:00:00Z"));

    expect(await listMemberships(appDb, { userId: olivia.id })).toEqual([
      { role: "owner", workspace: { id: acme.id, name: "Acme" } },
      { role: "owner", workspace: { id: side.id, name: "Side project" } },
    ]);
    expect(await listMemberships(appDb, { userId: randomUUID() })).toEqual([]);

    const members = await withWorkspace(appDb, acme.id, (tx) => listMembers(tx, { workspaceId: acme.id }));
    expect(members.map(({ role, user }) => [user.name, role])).toEqual([
      ["Olivia", "owner"],
      ["Tom", "member"],
    ]);
  });
});
