// The OpenAPI document, generated from the routes' zod schemas, and the reference page built on it.
import { describe, expect } from "vitest";
import { test } from "./api-harness";
import { openApiContract } from "./openapi-contract";

type Document = { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

describe("openapi", () => {
  test("the document is OpenAPI 3.1, served without a key, and lists every route with its answers", async ({ api }) => {
    const answer = await api.get("/v1/openapi.json", undefined);
    expect(answer.statusCode).toBe(200);
    const document = answer.json<Document>();
    expect(document.openapi).toBe("3.1.0");
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => [`${method.toUpperCase()} ${path}`, Object.keys(operation.responses)]),
    );
    expect(Object.fromEntries(operations)).toMatchObject({
      "GET /v1/contacts": expect.arrayContaining(["200", "401", "422", "429"]),
      "GET /v1/contacts/{id}": expect.arrayContaining(["200", "404"]),
      "GET /v1/contacts/by-email/{email}": expect.arrayContaining(["200", "404"]),
      "DELETE /v1/contacts/by-email/{email}": expect.arrayContaining(["200", "403"]),
      "GET /v1/events": expect.arrayContaining(["200"]),
      "GET /v1/endpoints": expect.arrayContaining(["200"]),
      "GET /v1/deliveries": expect.arrayContaining(["200"]),
    });
  });

  test("the contract check every answer of the suite goes through refuses what the document does not say", async ({ api }) => {
    const check = openApiContract(api.app);
    const answer = (statusCode: number, body: unknown) => ({ statusCode, json: () => body }) as never;
    expect(() => check({ url: "/v1/contacts" }, answer(200, { data: [{ email: 1 }], nextCursor: null }))).toThrow(
      "does not match the document",
    );
    expect(() => check({ url: "/v1/contacts" }, answer(418, {}))).toThrow("is not in the document");
    expect(() => check({ url: "/v1/contacts" }, answer(200, { data: [], nextCursor: null }))).not.toThrow();
  });

  test("the reference page loads its script from the API itself, and nothing from elsewhere", async ({ api }) => {
    const page = await api.get("/v1/docs/", undefined);
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    const sources = [...page.body.matchAll(/<(?:script|link)[^>]*(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source).not.toMatch(/^(https?:)?\/\//);
    const script = await api.get(`/v1/docs/${sources.find((source) => source?.endsWith(".js"))}`, undefined);
    expect(script.statusCode).toBe(200);
  });
});
