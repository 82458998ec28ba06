// PUT /v1/contacts/by-email/{email} and POST …/unsubscribe: the workspace's own app writes contacts
// through the same contact history as Stripe's events.
import { recordTestDelivery, stripeEvent } from "@hookloop/testing";
import { applyDelivery } from "@hookloop/core";
import { describe, expect } from "vitest";
import { test } from "./api-harness";

type Contact = {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  subscribed: boolean;
  source: string;
};

describe("writing contacts", () => {
  test("PUT creates a contact (201, source API), then updates only the fields it names (200)", async ({ api, newWorkspace }) => {
    const acme = await newWorkspace();
    const key = await acme.key();
    const put = (payload: object) =>
      api.inject({
        method: "PUT",
        url: "/v1/contacts/by-email/Grace%40Example.com",
        headers: { authorization: `Bearer ${key}` },
        payload,
      });

    const created = await put({ firstName: "Grace", lastName: "Hopper" });
    expect(created.statusCode).toBe(201);
    expect(created.json<Contact>()).toMatchObject({
      email: "grace@example.com",
      firstName: "Grace",
      lastName: "Hopper",
      subscribed: true,
      source: "API",
      stripeCustomerId: null,
    });
    const updated = await put({ lastName: null, subscribed: false });
    expect(updated.statusCode).toBe(200);
    expect(updated.json<Contact>()).toMatchObject({
      id: created.json<Contact>().id,
      firstName: "Grace",
      lastName: null,
      subscribed: false,
    });
    expect((await api.get("/v1/contacts/by-email/grace%40example.com", key)).json<Contact>()).toMatchObject({
      firstName: "Grace",
      subscribed: false,
    });
  });

  test("an API update and a Stripe update end as their times say: an older Stripe event arriving later does not undo it", async ({
    api,
    newWorkspace,
    db,
  }) => {
    const acme = await newWorkspace();
    const key = await acme.key();
    const stripeUpdate = async (createdSecondsFromNow: number, name: string) => {
      const event = stripeEvent("invoice.paid", {
        created: Math.floor(Date.now() / 1000) + createdSecondsFromNow,
        customerId: "cus_ada",
        email: "ada@example.com",
        name,
      });
      const delivery = await recordTestDelivery(db, { workspaceId: acme.workspaceId, endpointId: acme.endpointId, event });
      await applyDelivery(db, { deliveryId: delivery.id, workspaceId: acme.workspaceId });
    };
    await stripeUpdate(-60, "Ada Lovelace");
    const put = await api.inject({
      method: "PUT",
      url: "/v1/contacts/by-email/ada%40example.com",
      headers: { authorization: `Bearer ${key}` },
      payload: { firstName: "Augusta", lastName: "King" },
    });
    expect(put.statusCode).toBe(200);
    // Stripe's invoice is a snapshot: it fills names only where missing, older or newer.
    await stripeUpdate(-30, "Ada Byron");
    const contact = await db.contact.findFirstOrThrow({ where: { workspaceId: acme.workspaceId, email: "ada@example.com" } });
    expect(contact).toMatchObject({ firstName: "Augusta", lastName: "King", source: "Stripe", stripeCustomerId: "cus_ada" });
  });

  test("unsubscribe keeps the contact unsubscribed through Stripe's later events; an unknown email is 404 and creates nothing", async ({
    api,
    newWorkspace,
    db,
  }) => {
    const acme = await newWorkspace({ contacts: ["ada@example.com"] });
    const key = await acme.key();
    const unsubscribe = (email: string) =>
      api.inject({
        method: "POST",
        url: `/v1/contacts/by-email/${encodeURIComponent(email)}/unsubscribe`,
        headers: { authorization: `Bearer ${key}` },
      });

    const answer = await unsubscribe("ada@example.com");
    expect(answer.statusCode).toBe(200);
    expect(answer.json<Contact>()).toMatchObject({ email: "ada@example.com", subscribed: false });
    await acme.pay("ada@example.com");
    expect(await db.contact.findFirst({ where: { workspaceId: acme.workspaceId, email: "ada@example.com" } })).toMatchObject({
      subscribed: false,
    });

    const unknown = await unsubscribe("nobody@example.com");
    expect(unknown.statusCode).toBe(404);
    expect(await db.contact.count({ where: { workspaceId: acme.workspaceId } })).toBe(1);
    expect(await db.contactEvent.count({ where: { workspaceId: acme.workspaceId, email: "nobody@example.com" } })).toBe(0);
  });

  test("bad input is 422 with field paths, an erased email 409, a read-only key 403; nothing is written", async ({
    api,
    newWorkspace,
    db,
  }) => {
    const acme = await newWorkspace({ contacts: ["ada@example.com"] });
    const key = await acme.key();
    const put = (email: string, payload: object, withKey = key) =>
      api.inject({
        method: "PUT",
        url: `/v1/contacts/by-email/${encodeURIComponent(email)}`,
        headers: { authorization: `Bearer ${withKey}` },
        payload,
      });

    const invalid = await put("ada@example.com", { firstName: 7, email: "other@example.com" });
    expect(invalid.statusCode).toBe(422);
    expect(
      invalid
        .json<{ error: { fields: Array<{ path: string }> } }>()
        .error.fields.map((field) => field.path)
        .sort(),
    ).toEqual(["body", "body.firstName"]);
    expect((await put("not-an-email", { firstName: "X" })).statusCode).toBe(422);
    expect((await put("ada@example.com", { firstName: "X" }, await acme.key(true))).statusCode).toBe(403);

    await api.inject({
      method: "DELETE",
      url: "/v1/contacts/by-email/ada%40example.com",
      headers: { authorization: `Bearer ${key}` },
    });
    const refused = await put("ada@example.com", { firstName: "Ada" });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { type: "erased" } });
    expect(await db.contact.count({ where: { workspaceId: acme.workspaceId } })).toBe(0);
  });

  test("the same Idempotency-Key with the same body answers the first answer; with another body, 422", async ({
    api,
    newWorkspace,
  }) => {
    const acme = await newWorkspace();
    const key = await acme.key();
    const put = (payload: object) =>
      api.inject({
        method: "PUT",
        url: "/v1/contacts/by-email/linus%40example.com",
        headers: { authorization: `Bearer ${key}`, "idempotency-key": "linus-1" },
        payload,
      });
    const first = await put({ firstName: "Linus" });
    const again = await put({ firstName: "Linus" });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect((await put({ firstName: "Linux" })).statusCode).toBe(422);
  });
});
