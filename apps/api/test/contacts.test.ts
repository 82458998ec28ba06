// The happy path of the contact and event routes, as a developer's script uses them.
import { listContacts } from "@hookloop/core";
import { describe, expect } from "vitest";
import { test } from "./api-harness";

describe("contacts", () => {
  test("lists contacts newest first as the CLI's contacts:list shows them, field for field", async ({ api, newWorkspace }) => {
    const acme = await newWorkspace({ contacts: ["ada@example.com", "grace@example.com"] });
    const key = await acme.key(true);
    const answer = await api.get("/v1/contacts", key);
    expect(answer.statusCode).toBe(200);
    const body = answer.json<{ data: Array<Record<string, unknown>>; nextCursor: string | null }>();
    expect(body.nextCursor).toBeNull();
    expect(body.data.map((contact) => contact.email)).toEqual(["grace@example.com", "ada@example.com"]);

    // The CLI prints listContacts' rows as JSON: the API's bodies are those, billing included.
    const cli = await acme.inWorkspace((tx) => listContacts(tx, { workspaceId: acme.workspaceId, limit: 500 }));
    expect(body.data).toEqual(JSON.parse(JSON.stringify(cli.contacts)));
    expect(body.data[0]).toHaveProperty("billing");
  });

  test("pages with a cursor that neither skips nor repeats a contact while contacts are being made", async ({
    api,
    newWorkspace,
  }) => {
    const emails = Array.from({ length: 7 }, (_, index) => `person${index}@example.com`);
    const acme = await newWorkspace({ contacts: emails });
    const key = await acme.key(true);
    const seen: string[] = [];
    let cursor: string | null = null;
    let made = 0;
    do {
      const answer = await api.get(`/v1/contacts?limit=3${cursor ? `&cursor=${cursor}` : ""}`, key);
      const page: { data: Array<{ email: string }>; nextCursor: string | null } = answer.json();
      seen.push(...page.data.map((contact) => contact.email));
      cursor = page.nextCursor;
      // A contact made between two pages is newer than every page: it never shows up mid-list.
      await acme.pay(`late${made++}@example.com`);
    } while (cursor);
    expect(seen).toEqual([...emails].reverse());
  });

  test("filters by email, subscription and last change", async ({ api, newWorkspace }) => {
    const acme = await newWorkspace({ contacts: ["ada@example.com", "grace@example.com"] });
    const key = await acme.key(true);
    const emailsOf = async (query: string) =>
      (await api.get(`/v1/contacts?${query}`, key))
        .json<{ data: Array<{ email: string }> }>()
        .data.map((contact) => contact.email);

    expect(await emailsOf("email=ADA@example.com")).toEqual(["ada@example.com"]);
    expect(await emailsOf("subscribed=false")).toEqual([]);
    expect(await emailsOf("subscribed=true")).toEqual(["grace@example.com", "ada@example.com"]);
    const later = new Date(Date.now() + 60_000).toISOString();
    expect(await emailsOf(`updatedSince=${encodeURIComponent(later)}`)).toEqual([]);
    expect(await emailsOf(`updatedSince=${encodeURIComponent("2020-01-01T00:00:00Z")}`)).toHaveLength(2);
  });

  test("reads one contact by id and by email", async ({ api, newWorkspace }) => {
    const acme = await newWorkspace({ contacts: ["ada@example.com"] });
    const key = await acme.key(true);
    const byEmail = await api.get("/v1/contacts/by-email/Ada%40example.com", key);
    expect(byEmail.statusCode).toBe(200);
    const contact = byEmail.json<{ id: string; email: string; subscribed: boolean; source: string }>();
    expect(contact).toMatchObject({ email: "ada@example.com", subscribed: true, source: "Stripe" });
    expect((await api.get(`/v1/contacts/${contact.id}`, key)).json()).toEqual(contact);
  });

  test("lists trigger events by name and contact, and the workspace's endpoints and deliveries", async ({
    api,
    newWorkspace,
  }) => {
    const acme = await newWorkspace({ contacts: ["ada@example.com", "grace@example.com"] });
    const key = await acme.key(true);
    const events = (await api.get("/v1/events?name=paid", key)).json<{
      data: Array<{ name: string; contact: { id: string; email: string } }>;
    }>();
    expect(events.data.map((event) => [event.name, event.contact.email])).toEqual([
      ["paid", "grace@example.com"],
      ["paid", "ada@example.com"],
    ]);
    const ada = events.data[1]!.contact.id;
    expect((await api.get(`/v1/events?contact=${ada}`, key)).json<{ data: unknown[] }>().data).toHaveLength(1);
    expect((await api.get("/v1/events?name=refunded", key)).json<{ data: unknown[] }>().data).toEqual([]);

    const endpoints = (await api.get("/v1/endpoints", key)).json<{ data: Array<Record<string, unknown>> }>();
    expect(endpoints.data).toEqual([
      expect.objectContaining({ id: acme.endpointId, enabled: true, enabledEvents: ["invoice.paid"], deliveryCount: 2 }),
    ]);
    const deliveries = await api.get(
      `/v1/deliveries?endpoint=${acme.endpointId}&status=processed&type=invoice.paid&limit=1`,
      key,
    );
    const page = deliveries.json<{ data: Array<{ status: string; contactId: string }>; nextCursor: string }>();
    expect(page.data).toEqual([expect.objectContaining({ status: "processed", type: "invoice.paid" })]);
    const next = (await api.get(`/v1/deliveries?limit=1&cursor=${page.nextCursor}`, key)).json<{
      data: unknown[];
      nextCursor: null;
    }>();
    expect(next).toMatchObject({ data: [expect.anything()], nextCursor: null });
    expect((await api.get("/v1/deliveries?status=failed", key)).json<{ data: unknown[] }>().data).toEqual([]);
  });

  test("/healthz and /readyz answer without a key", async ({ api }) => {
    expect((await api.get("/healthz", undefined)).json()).toEqual({ status: "ok" });
    expect((await api.get("/readyz", undefined)).json()).toEqual({ status: "ok", checks: { postgres: "ok", redis: "ok" } });
  });
});
