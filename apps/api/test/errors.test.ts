// What a developer gets back when a request is wrong: one error shape, a status that says why,
// the fields at fault, and nothing of the server's insides.
import { describe, expect } from "vitest";
import { test } from "./api-harness";

type ErrorBody = { error: { type: string; message: string; fields?: Array<{ path: string; message: string }> } };

describe("errors", () => {
  test("a missing, malformed or unknown key is 401 in the one error shape", async ({ api }) => {
    for (const authorization of [undefined, "Basic abc", "Bearer", "Bearer hl_live_nope", "Bearer sk_live_123"]) {
      const answer = await api.inject({ url: "/v1/contacts", headers: authorization ? { authorization } : {} });
      expect(answer.statusCode, authorization).toBe(401);
      expect(answer.json<ErrorBody>().error).toEqual({ type: "unauthorized", message: expect.any(String) });
    }
  });

  test("bad input is 422 naming each field at fault", async ({ api, newWorkspace }) => {
    const key = await (await newWorkspace()).key(true);
    const answer = await api.get("/v1/contacts?limit=0&subscribed=maybe&updatedSince=yesterday&cursor=zzz", key);
    expect(answer.statusCode).toBe(422);
    const { error } = answer.json<ErrorBody>();
    expect(error.type).toBe("invalid_input");
    expect(error.fields?.map((field) => field.path).sort()).toEqual([
      "query.cursor",
      "query.limit",
      "query.subscribed",
      "query.updatedSince",
    ]);

    const badEmail = await api.get("/v1/contacts/by-email/not-an-email", key);
    expect(badEmail.statusCode).toBe(422);
    expect(badEmail.json<ErrorBody>().error.fields).toEqual([{ path: "params.email", message: "Not an email address." }]);
    const badStatus = await api.get("/v1/deliveries?status=lost", key);
    expect(badStatus.json<ErrorBody>().error.fields?.[0]?.path).toBe("query.status");
  });

  test("a contact that does not exist, an id that cannot be one, and an unknown route are 404", async ({ api, newWorkspace }) => {
    const key = await (await newWorkspace()).key(true);
    for (const url of [
      "/v1/contacts/6f1c1f0e-3a4b-4c2d-9e8f-0123456789ab",
      "/v1/contacts/not-a-uuid",
      "/v1/contacts/by-email/nobody%40example.com",
      "/v1/nothing-here",
    ]) {
      const answer = await api.get(url, key);
      expect(answer.statusCode, url).toBe(404);
      expect(answer.json<ErrorBody>().error.type).toBe("not_found");
    }
  });

  test("a malformed JSON body is 400 in the same shape, with no stack trace", async ({ api, newWorkspace }) => {
    const key = await (await newWorkspace()).key();
    const answer = await api.inject({
      method: "DELETE",
      url: "/v1/contacts/by-email/ada%40example.com",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      payload: "{not json",
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json<ErrorBody>().error.type).toBe("invalid_request");
    expect(answer.body).not.toMatch(/at .*\.(ts|js):\d+/);
  });
});
