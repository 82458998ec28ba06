import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { createWorkspace, listPendingInvitations } from "../index";

describe("listPendingInvitations", () => {
  test("finds the invitations still open to an email, whatever its case, and not accepted or expired ones", async ({
    db,
    appDb,
  }) => {
    const inviter = await db.user.create({
      data: { id: randomUUID(), name: "Olivia", email: `olivia-${randomUUID()}@acme.test` },
    });
    const acme = await createWorkspace(db, { name: "Acme" });
    const email = `tom-${randomUUID()}@acme.test`;
    const invite = (status: string, expiresAt: Date) =>
      db.invitation.create({
        data: { id: randomUUID(), workspaceId: acme.id, email, role: "member", status, expiresAt, inviterId: inviter.id },
      });
    const now = new Date("2026-12-01T12:00:00Z");
    const open = await invite("pending", new Date("2026-12-02T00:00:00Z"));
    await invite("pending", new Date("2026-11-30T00:00:00Z"));
    await invite("accepted", new Date("2026-12-02T00:00:00Z"));

    expect(await listPendingInvitations(appDb, { email: email.toUpperCase(), now })).toEqual([
      { id: open.id, workspace: { id: acme.id, name: "Acme" } },
    ]);
  });
});
