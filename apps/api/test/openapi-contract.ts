// Every answer the suite receives is checked against the document the API serves: its status
// must be one the operation lists, and its JSON body must match that status's schema. So the
// document cannot drift from what the routes really answer.
import { Ajv2020 } from "ajv/dist/2020.js";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { expect } from "vitest";

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };
type Document = { paths: Record<string, Record<string, Operation>> };

export type ContractCheck = (request: InjectOptions, response: LightMyRequestResponse) => void;

export function openApiContract(app: FastifyInstance): ContractCheck {
  let compiled: { document: Document; ajv: Ajv2020; routes: Array<{ path: string; pattern: RegExp }> } | undefined;
  const load = () => {
    if (compiled) return compiled;
    const document = app.swagger() as unknown as Document;
    // Formats are left to the patterns zod writes beside them; OpenAPI's own keywords are not JSON Schema's.
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema(document, "openapi");
    const routes = Object.keys(document.paths)
      .map((path) => ({ path, pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`) }))
      // Literal paths before templated ones: /v1/contacts/by-email/{email} before /v1/contacts/{id}.
      .sort((a, b) => a.path.split("{").length - b.path.split("{").length);
    compiled = { document, ajv, routes };
    return compiled;
  };
  return (request, response) => {
    const { document, ajv, routes } = load();
    const url = new URL(typeof request.url === "string" ? request.url : "/", "http://api.test");
    const method = (request.method ?? "GET").toLowerCase();
    const route = routes.find((candidate) => candidate.pattern.test(url.pathname));
    const operation = route ? document.paths[route.path]?.[method] : undefined;
    // Only the document's own operations: not the document, the reference page or an unknown route.
    if (!route || !operation) return;
    const where = `${method.toUpperCase()} ${route.path} → ${response.statusCode}`;
    const status = String(response.statusCode);
    expect(Object.keys(operation.responses ?? {}), `${where} is not in the document`).toContain(status);
    if (!operation.responses?.[status]?.content?.["application/json"]) return;
    const pointer = ["paths", route.path, method, "responses", status, "content", "application/json", "schema"]
      .map((segment) => segment.replaceAll("~", "~0").replaceAll("/", "~1"))
      .join("/");
    const validate = ajv.getSchema(`openapi#/${pointer}`);
    if (!validate) throw new Error(`no schema for ${where}`);
    const valid = validate(response.json());
    expect(valid ? [] : validate.errors, `${where} does not match the document`).toEqual([]);
  };
}
