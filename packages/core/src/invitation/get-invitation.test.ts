import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { NotFoundError, createWorkspace, getInvitation } from "../index";

describe("getInvitation", () => {
  test("shows who is invited, to what, by whom, and whether it is still open", async ({ db, appDb }) => {
    const inviter = await db.user.create({
      data: { id: randomUUID(), name: "Olivia Owner", email: `olivia-${randomUUID()}@acme.test` },
    });
    const acme = await createWorkspace(db, { name: "Acme" });
    const invite = (status: string, expiresAt: Date) =>
      db.invitation.create({
        data: {
          id: randomUUID(),
          workspaceId: acme.id,
          email: "tom@acme.test",
          role: "admin",
          status,
          expiresAt,
          inviterId: inviter.id,
        },
      });
    const now = new Date("2026-12-01T12:00:00Z");
    const open = await invite("pending", new Date("2026-12-02T00:00:00Z"));
    const lapsed = await invite("pending", new Date("2026-11-30T00:00:00Z"));
    const accepted = await invite("accepted", new Date("2026-12-02T00:00:00Z"));

    expect(await getInvitation(appDb, { invitationId: open.id, now })).toEqual({
      id: open.id,
      email: "tom@acme.test",
      role: "admin",
      workspace: { id: acme.id, name: "Acme" },
      inviter: "Olivia Owner",
      status: "pending",
    });
    expect((await getInvitation(appDb, { invitationId: lapsed.id, now })).status).toBe("expired");
    expect((await getInvitation(appDb, { invitationId: accepted.id, now })).status).toBe("accepted");
    await expect(getInvitation(appDb, { invitationId: randomUUID(), now })).rejects.toBeInstanceOf(NotFoundError);
  });
});
