// POST /v1/events: a trigger event fired from the workspace's own app, sent on like any other.
import { createDestination, messageJobId } from "@hookloop/core";
import { openQueue } from "@hookloop/queue";
import { describe, expect } from "vitest";
import { test } from "./api-harness";

describe("firing events", () => {
  test("an event for a contact is recorded, listed, and becomes a message for each destination that takes it", async ({
    api,
    newWorkspace,
    db,
    box,
    redis,
    environment,
  }) => {
    const acme = await newWorkspace({ contacts: ["ada@example.com"] });
    const destination = await acme.inWorkspace((tx) =>
      createDestination(tx, {
        box,
        workspaceId: acme.workspaceId,
        name: "CRM",
        url: "https://crm.example/hooks",
        triggers: ["signedUp"],
        contactChanges: false,
        allowPrivateTargets: false,
      }),
    );
    const key = await acme.key();
    const fire = (name: string) =>
      api.inject({
        method: "POST",
        url: "/v1/events",
        headers: { authorization: `Bearer ${key}` },
        payload: { email: "Ada@Example.com", name, properties: { plan: "pro", seats: 3, trial: true } },
      });

    const answer = await fire("signedUp");
    expect(answer.statusCode).toBe(201);
    const event = answer.json<{ id: string; stripeEventId: string; contact: { email: string } }>();
    expect(event).toMatchObject({
      name: "signedUp",
      properties: { plan: "pro", seats: 3, trial: true },
      stripeEventId: expect.stringMatching(/^api_/),
      contact: { email: "ada@example.com" },
    });
    const listed = (await api.get("/v1/events?name=signedUp", key)).json<{ data: Array<{ id: string }> }>();
    expect(listed.data.map((row) => row.id)).toEqual([event.id]);

    const [message, ...others] = await db.message.findMany({ where: { destinationId: destination.id } });
    expect(others).toEqual([]);
    expect(message).toMatchObject({
      type: "trigger.fired",
      payload: {
        trigger: { name: "signedUp", properties: { plan: "pro", seats: 3, trial: true } },
        contact: { email: "ada@example.com" },
        stripeEvent: { id: event.stripeEventId, type: "api" },
      },
    });
    expect(await db.messageOutbox.count({ where: { messageId: message!.id } })).toBe(1);
    // Queued for the worker at once, as the worker queues the messages a Stripe event records.
    const messages = openQueue("messages", { connection: redis, prefix: environment.redisPrefix });
    try {
      expect((await messages.queue.getJob(messageJobId(message!.id, 0)))?.data).toEqual({
        messageId: message!.id,
        workspaceId: acme.workspaceId,
      });
    } finally {
      await messages.close();
    }

    // A name the destination does not take makes no message.
    expect((await fire("other")).statusCode).toBe(201);
    expect(await db.message.count({ where: { destinationId: destination.id } })).toBe(1);
  });

  test("the same Idempotency-Key fires once", async ({ api, newWorkspace, db }) => {
    const acme = await newWorkspace({ contacts: ["ada@example.com"] });
    const key = await acme.key();
    const fire = () =>
      api.inject({
        method: "POST",
        url: "/v1/events",
        headers: { authorization: `Bearer ${key}`, "idempotency-key": "signup-ada" },
        payload: { email: "ada@example.com", name: "signedUp" },
      });
    const [first, second] = [await fire(), await fire()];
    expect(second.json()).toEqual(first.json());
    expect(second.headers["idempotent-replayed"]).toBe("true");
    expect(await db.triggerEvent.count({ where: { workspaceId: acme.workspaceId, name: "signedUp" } })).toBe(1);
  });

  test("an email no contact has becomes a contact of the key's workspace alone; a bad name or property 422, a read-only key 403", async ({
    api,
    newWorkspace,
    db,
  }) => {
    const acme = await newWorkspace({ contacts: ["ada@example.com"] });
    const rival = await newWorkspace();
    const post = async (key: string, payload: object) =>
      api.inject({ method: "POST", url: "/v1/events", headers: { authorization: `Bearer ${key}` }, payload });
    const key = await acme.key();

    const invalid = await post(key, { email: "ada@example.com", name: "has spaces", properties: { nested: { a: 1 } } });
    expect(invalid.statusCode).toBe(422);
    expect(
      invalid
        .json<{ error: { fields: Array<{ path: string }> } }>()
        .error.fields.map((field) => field.path)
        .sort(),
    ).toEqual(["body.name", "body.properties.nested"]);
    expect((await post(key, { email: "not an email", name: "signedUp" })).statusCode).toBe(422);
    expect((await post(await acme.key(true), { email: "ada@example.com", name: "signedUp" })).statusCode).toBe(403);
    expect(await db.triggerEvent.count({ where: { workspaceId: acme.workspaceId, name: "signedUp" } })).toBe(0);

    const fresh = await post(key, { email: "linus@example.com", name: "signedUp" });
    expect(fresh.statusCode).toBe(201);
    expect(fresh.json()).toMatchObject({ contact: { email: "linus@example.com" } });
    expect(await db.contact.findFirst({ where: { workspaceId: acme.workspaceId, email: "linus@example.com" } })).toMatchObject({
      source: "API",
      subscribed: true,
    });

    // The rival's key reaches the rival's own workspace: a contact of its own, none of Acme's changed.
    const rivals = await post(await rival.key(), { email: "ada@example.com", name: "signedUp" });
    expect(rivals.statusCode).toBe(201);
    expect(rivals.json<{ contact: { id: string } }>().contact.id).not.toBe(
      (await db.contact.findFirstOrThrow({ where: { workspaceId: acme.workspaceId, email: "ada@example.com" } })).id,
    );
    expect(await db.triggerEvent.count({ where: { workspaceId: acme.workspaceId, name: "signedUp" } })).toBe(1);
  });

  test("an erased email is refused with 409 and stays erased", async ({ api, newWorkspace, db }) => {
    const acme = await newWorkspace({ contacts: ["ada@example.com"] });
    const key = await acme.key();
    const erase = await api.inject({
      method: "DELETE",
      url: "/v1/contacts/by-email/ada%40example.com",
      headers: { authorization: `Bearer ${key}` },
    });
    expect(erase.statusCode).toBe(200);

    const answer = await api.inject({
      method: "POST",
      url: "/v1/events",
      headers: { authorization: `Bearer ${key}` },
      payload: { email: "ada@example.com", name: "signedUp" },
    });
    expect(answer.statusCode).toBe(409);
    expect(answer.json()).toEqual({
      error: { type: "erased", message: expect.stringContaining("erased at the person's request") },
    });
    expect(await db.contact.count({ where: { workspaceId: acme.workspaceId } })).toBe(0);
    expect(await db.triggerEvent.count({ where: { workspaceId: acme.workspaceId } })).toBe(0);
  });
});
