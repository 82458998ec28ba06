// What a key can reach: its own workspace and nothing else, reads only when it is read-only,
// nothing once revoked; and a key never reaches the log.
import { describe, expect } from "vitest";
import { test } from "./api-harness";

describe("security", () => {
  test("a valid key of another workspace finds none of this workspace's contacts, events or deliveries", async ({
    api,
    newWorkspace,
    db,
  }) => {
    const acme = await newWorkspace({ contacts: ["ada@acme.test"] });
    const rival = await newWorkspace({ contacts: ["eve@rival.test"] });
    const rivalKey = await rival.key();
    const acmeContact = await db.contact.findFirstOrThrow({ where: { workspaceId: acme.workspaceId } });

    for (const url of [`/v1/contacts/${acmeContact.id}`, "/v1/contacts/by-email/ada%40acme.test"]) {
      const answer = await api.get(url, rivalKey);
      expect(answer.statusCode, url).toBe(404);
      expect(answer.json()).toEqual({ error: { type: "not_found", message: expect.any(String) } });
    }
    const lists = {
      "/v1/contacts?email=ada%40acme.test": [],
      [`/v1/events?contact=${acmeContact.id}`]: [],
      [`/v1/deliveries?endpoint=${acme.endpointId}`]: [],
    };
    for (const [url, expected] of Object.entries(lists)) {
      expect((await api.get(url, rivalKey)).json<{ data: unknown[] }>().data, url).toEqual(expected);
    }
    // Its own lists hold its own rows only.
    const own = (await api.get("/v1/contacts", rivalKey)).json<{ data: Array<{ email: string }> }>();
    expect(own.data.map((contact) => contact.email)).toEqual(["eve@rival.test"]);
    expect((await api.get("/v1/endpoints", rivalKey)).json<{ data: Array<{ id: string }> }>().data.map((e) => e.id)).toEqual([
      rival.endpointId,
    ]);

    // Erasing "another workspace's" email only suppresses it in the key's own workspace.
    const erase = await api.inject({
      method: "DELETE",
      url: "/v1/contacts/by-email/ada%40acme.test",
      headers: { authorization: `Bearer ${rivalKey}` },
    });
    expect(erase.json()).toMatchObject({ contactDeleted: false });
    expect(await db.contact.count({ where: { workspaceId: acme.workspaceId, email: "ada@acme.test" } })).toBe(1);
  });

  test("a read-only key reads but is refused every write with 403, and nothing changes", async ({ api, newWorkspace, db }) => {
    const acme = await newWorkspace({ contacts: ["ada@acme.test"] });
    const readOnly = await acme.key(true);
    expect((await api.get("/v1/contacts", readOnly)).statusCode).toBe(200);
    const answer = await api.inject({
      method: "DELETE",
      url: "/v1/contacts/by-email/ada%40acme.test",
      headers: { authorization: `Bearer ${readOnly}` },
    });
    expect(answer.statusCode).toBe(403);
    expect(answer.json()).toEqual({ error: { type: "forbidden", message: expect.stringContaining("read-only") } });
    expect(await db.contact.count({ where: { workspaceId: acme.workspaceId } })).toBe(1);
  });

  test("a revoked key is answered 401 like an unknown one", async ({ api, newWorkspace }) => {
    const acme = await newWorkspace();
    const revoked = await acme.revokedKey();
    const answer = await api.get("/v1/contacts", revoked);
    expect(answer.statusCode).toBe(401);
    expect(answer.json()).toEqual((await api.get("/v1/contacts", "hl_live_neverissued")).json());
  });

  test("no key, valid, revoked or unknown, appears in the log, nor in any answer", async ({ api, newWorkspace }) => {
    const acme = await newWorkspace({ contacts: ["ada@acme.test"] });
    const valid = await acme.key();
    const revoked = await acme.revokedKey();
    const unknown = `${valid.slice(0, -4)}AAAA`;
    const answers = [];
    for (const key of [valid, revoked, unknown]) {
      answers.push(await api.get("/v1/contacts", key));
      answers.push(await api.get("/v1/contacts/by-email/nobody%40acme.test", key));
      answers.push(await api.get("/v1/contacts?limit=nope", key));
    }
    const logged = api.logged();
    expect(logged).toContain("/v1/contacts");
    for (const key of [valid, revoked, unknown]) {
      const secretPart = key.slice(12);
      expect(logged).not.toContain(secretPart);
      for (const answer of answers) expect(answer.body).not.toContain(secretPart);
    }
  });
});
