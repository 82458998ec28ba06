// The public API, built without listening so tests can drive it with `inject`.
import fastifySwagger from "@fastify/swagger";
import apiReference from "@scalar/fastify-api-reference";
import { InvalidInputError, NotFoundError } from "@hookloop/core";
import type { Db } from "@hookloop/db/client";
import type { TypedQueue } from "@hookloop/queue";
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from "fastify";
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { ApiError } from "./api-error";
import { authenticate, requireScope } from "./auth";
import { contactRoutes } from "./contact-routes";
import { endpointRoutes } from "./endpoint-routes";
import { eventRoutes } from "./event-routes";
import { healthRoutes, type ReadinessCheck } from "./health-routes";
import { applyRateLimit, type KeyRateLimit } from "./rate-limit";
import { createRefusalLimit } from "./refusal-limit";

export const MAX_BODY_BYTES = 256 * 1024;

export type ApiDeps = {
  db: Db;
  rateLimit: KeyRateLimit;
  readiness: ReadinessCheck;
  /** How many requests with a key that is not valid one address may make per minute; 30 by default. */
  refusalsPerMinute?: number;
  /** The worker's messages queue, for the messages POST /v1/events records. */
  messages?: TypedQueue<"messages">;
};

/** Where a refused field was: `query.updatedSince`, `params.email`, `body.properties.plan`. */
const contextNames: Record<string, string> = { querystring: "query", params: "params", body: "body", headers: "headers" };

export function buildApiApp(deps: ApiDeps, options: { logger?: FastifyBaseLogger } = {}): FastifyInstance {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: MAX_BODY_BYTES,
    requestTimeout: 30_000,
    connectionTimeout: 30_000,
    forceCloseConnections: "idle",
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest("apiKey", null);

  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof ApiError) return reply.code(error.statusCode).send(error.toBody());
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = contextNames[error.validationContext ?? ""] ?? "request";
      const fields = error.validation.map((issue) => ({
        path: [where, ...issue.instancePath.split("/").filter(Boolean)].join("."),
        message: issue.message ?? "Not valid.",
      }));
      return reply
        .code(422)
        .send(new ApiError(422, "invalid_input", "Some of the request's fields are not valid.", fields).toBody());
    }
    if (error instanceof NotFoundError) return reply.code(404).send(new ApiError(404, "not_found", error.message).toBody());
    if (error instanceof InvalidInputError) {
      const fields = error.field ? [{ path: error.field, message: error.message }] : undefined;
      return reply.code(422).send(new ApiError(422, "invalid_input", error.message, fields).toBody());
    }
    const statusCode = "statusCode" in error ? error.statusCode : undefined;
    if (statusCode === 413) {
      return reply.code(413).send(new ApiError(413, "payload_too_large", "The body is larger than 256 KiB.").toBody());
    }
    if (statusCode && statusCode >= 400 && statusCode < 500) {
      // Fastify's own refusals: a malformed JSON body, an unsupported content type.
      return reply.code(400).send(new ApiError(400, "invalid_request", error.message).toBody());
    }
    // Only these fields: pg's errors quote statement values (an email), and pino would log them all.
    const { name, message, stack } = error;
    request.log.error({ error: { name, message, code: "code" in error ? error.code : undefined, stack } }, "request failed");
    return reply
      .code(503)
      .send(new ApiError(503, "unavailable", "Hookloop could not answer just now; retry in a moment.").toBody());
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send(new ApiError(404, "not_found", "No such route; the document is at /v1/openapi.json.").toBody()),
  );

  app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Hookloop API",
        version: "1.0.0",
        description:
          "Contacts and trigger events in and out of a Hookloop workspace. Authenticate with 'Authorization: Bearer hl_live_…'; every error is { error: { type, message, fields? } }.",
      },
      components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An hl_live_ API key." } } },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  // The reference page and its script come from node_modules (Scalar's standalone bundle), and
  // without Scalar's web fonts: the page loads nothing from the internet.
  app.register(apiReference, {
    routePrefix: "/v1/docs",
    configuration: {
      url: "/v1/openapi.json",
      pageTitle: "Hookloop API reference",
      withDefaultFonts: false,
      hideClientButton: true,
    },
  });
  const refusals = createRefusalLimit({ perMinute: deps.refusalsPerMinute ?? 30 });
  app.register(healthRoutes, { readiness: deps.readiness });
  app.register(
    async (v1) => {
      v1.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
      v1.register(async (authed) => {
        authed.addHook("onRequest", async (request, reply) => {
          const retryAfter = await refusals.retryAfterSeconds(request.ip);
          if (retryAfter) {
            reply.header("Retry-After", retryAfter);
            throw new ApiError(429, "rate_limited", `Too many requests with keys that are not valid; retry in ${retryAfter} s.`);
          }
          const identity = await authenticate(deps.db, request).catch(async (error: unknown) => {
            if (error instanceof ApiError && error.statusCode === 401) await refusals.countRefusal(request.ip);
            throw error;
          });
          await applyRateLimit(deps.rateLimit, identity.apiKeyId, reply);
          requireScope(identity, request.method);
        });
        authed.register(contactRoutes, { db: deps.db });
        authed.register(eventRoutes, { db: deps.db, ...(deps.messages ? { messages: deps.messages } : {}) });
        authed.register(endpointRoutes, { db: deps.db });
      });
    },
    { prefix: "/v1" },
  );
  return app;
}
