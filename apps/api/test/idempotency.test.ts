// Idempotency-Key on writes, as Stripe has it.
import { describe, expect } from "vitest";
import { test } from "./api-harness";

describe("idempotency", () => {
  test("the same key with the same request answers the first answer again without erasing twice", async ({
    api,
    newWorkspace,
    db,
  }) => {
    const acme = await newWorkspace({ contacts: ["ada@acme.test"] });
    const key = await acme.key();
    const erase = () =>
      api.inject({
        method: "DELETE",
        url: "/v1/contacts/by-email/ada%40acme.test",
        headers: { authorization: `Bearer ${key}`, "idempotency-key": "erase-ada-1" },
      });
    const first = await erase();
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ contactDeleted: true, triggerEventsDeleted: 1 });
    expect(first.headers["idempotent-replayed"]).toBeUndefined();

    const again = await erase();
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(await db.erasureAudit.count({ where: { workspaceId: acme.workspaceId } })).toBe(1);

    // Without a key, the same request is a new erasure (of nothing now).
    const plain = await api.inject({
      method: "DELETE",
      url: "/v1/contacts/by-email/ada%40acme.test",
      headers: { authorization: `Bearer ${key}` },
    });
    expect(plain.json()).toMatchObject({ contactDeleted: false });
    expect(await db.erasureAudit.count({ where: { workspaceId: acme.workspaceId } })).toBe(2);
  });

  test("the same key with another request is 422 and does nothing", async ({ api, newWorkspace, db }) => {
    const acme = await newWorkspace({ contacts: ["ada@acme.test", "grace@acme.test"] });
    const key = await acme.key();
    const erase = (email: string) =>
      api.inject({
        method: "DELETE",
        url: `/v1/contacts/by-email/${encodeURIComponent(email)}`,
        headers: { authorization: `Bearer ${key}`, "idempotency-key": "erase-1" },
      });
    expect((await erase("ada@acme.test")).statusCode).toBe(200);
    const reused = await erase("grace@acme.test");
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toEqual({ error: { type: "idempotency_key_reused", message: expect.any(String) } });
    expect(await db.contact.count({ where: { workspaceId: acme.workspaceId, email: "grace@acme.test" } })).toBe(1);
  });

  test("two requests with the same key at once do the work once and get the same answer", async ({ api, newWorkspace, db }) => {
    const acme = await newWorkspace({ contacts: ["ada@acme.test"] });
    const key = await acme.key();
    const erase = () =>
      api.inject({
        method: "DELETE",
        url: "/v1/contacts/by-email/ada%40acme.test",
        headers: { authorization: `Bearer ${key}`, "idempotency-key": "together" },
      });
    const answers = await Promise.all([erase(), erase(), erase()]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((answer) => answer.body)).size).toBe(1);
    expect(await db.erasureAudit.count({ where: { workspaceId: acme.workspaceId } })).toBe(1);
  });

  test("a key is kept per workspace and expires after 24 hours", async ({ api, newWorkspace, db }) => {
    const acme = await newWorkspace({ contacts: ["ada@acme.test"] });
    const rival = await newWorkspace({ contacts: ["ada@acme.test"] });
    const erase = async (key: string) =>
      api.inject({
        method: "DELETE",
        url: "/v1/contacts/by-email/ada%40acme.test",
        headers: { authorization: `Bearer ${key}`, "idempotency-key": "shared-name" },
      });
    expect((await erase(await acme.key())).json()).toMatchObject({ contactDeleted: true });
    // The same Idempotency-Key in another workspace is that workspace's own: its contact is erased too.
    expect((await erase(await rival.key())).json()).toMatchObject({ contactDeleted: true });

    await db.idempotencyKey.updateMany({
      where: { workspaceId: acme.workspaceId },
      data: { createdAt: new Date(Date.now() - 24 * 60 * 60 * 1000 - 1000) },
    });
    const afterExpiry = await erase(await acme.key());
    expect(afterExpiry.headers["idempotent-replayed"]).toBeUndefined();
    expect(afterExpiry.json()).toMatchObject({ contactDeleted: false });
  });

  test("an Idempotency-Key that is not printable ASCII is 422", async ({ api, newWorkspace }) => {
    const key = await (await newWorkspace()).key();
    const answer = await api.inject({
      method: "DELETE",
      url: "/v1/contacts/by-email/ada%40acme.test",
      headers: { authorization: `Bearer ${key}`, "idempotency-key": "has spaces" },
    });
    expect(answer.statusCode).toBe(422);
    expect(answer.json()).toMatchObject({ error: { fields: [{ path: "headers.idempotency-key" }] } });
  });
});
