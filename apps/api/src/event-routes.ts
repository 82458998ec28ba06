import { filterTriggerEvents, withWorkspace } from "@hookloop/core";
import type { Db } from "@hookloop/db/client";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorBodySchema } from "./api-error";
import { identityOf } from "./auth";
import { encodeCursor, listOf, pageQuery, since, triggerEventSchema } from "./schemas";

export const eventRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (scope, { db }) => {
  scope.get(
    "/events",
    {
      schema: {
        summary: "List trigger events, newest first",
        tags: ["Events"],
        querystring: pageQuery.extend({
          name: z.string().max(200).optional(),
          /** A contact's id: only its events. */
          contact: z.uuid().optional(),
          /** Only events recorded at or after this time (ISO 8601). */
          since: since.optional(),
        }),
        response: {
          200: listOf(triggerEventSchema),
          401: errorBodySchema,
          422: errorBodySchema,
          429: errorBodySchema,
          503: errorBodySchema,
        },
      },
    },
    async (request) => {
      const { workspaceId } = identityOf(request);
      const { cursor, name, contact, since: from, limit } = request.query;
      const page = await withWorkspace(db, workspaceId, (tx) =>
        filterTriggerEvents(tx, {
          workspaceId,
          limit,
          ...(name ? { name } : {}),
          ...(contact ? { contactId: contact } : {}),
          ...(from ? { since: from } : {}),
          ...(cursor ? { after: cursor } : {}),
        }),
      );
      return {
        data: page.rows.map((event) => ({
          ...event,
          properties: event.properties as Record<string, unknown>,
          occurredAt: event.occurredAt.toISOString(),
          createdAt: event.createdAt.toISOString(),
        })),
        nextCursor: encodeCursor(page.next),
      };
    },
  );
};
