import { filterTriggerEvents, messageJobId, withWorkspace } from "@hookloop/core";
import type { Db } from "@hookloop/db/client";
import { isPlausibleEmail, triggerNameSchema } from "@hookloop/domain";
import type { TypedQueue } from "@hookloop/queue";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { applyApiChange } from "./api-change";
import { errorBodySchema } from "./api-error";
import { identityOf } from "./auth";
import { runWrite } from "./idempotency";
import { encodeCursor, listOf, pageQuery, since, triggerEventSchema } from "./schemas";

const firedEvent = z
  .object({
    /** The contact's email; a new email becomes a contact (source `API`). */
    email: z.string().max(320).refine(isPlausibleEmail, "Not an email address."),
    name: triggerNameSchema,
    properties: z
      .record(z.string().max(100), z.union([z.string().max(2_000), z.number(), z.boolean(), z.null()]))
      .refine((properties) => Object.keys(properties).length <= 50, "At most 50 properties.")
      .default({}),
  })
  .meta({ id: "FiredEvent" });

export type EventRoutesOptions = {
  db: Db;
  /** Where the worker takes messages from; the message relay sends any this could not queue. */
  messages?: TypedQueue<"messages">;
};

export const eventRoutes: FastifyPluginAsyncZod<EventRoutesOptions> = async (scope, { db, messages }) => {
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

  scope.post(
    "/events",
    {
      schema: {
        summary: "Fire a trigger event for a contact",
        description:
          "Recorded like a trigger event a Stripe event fires (its stripeEventId is api_…) and sent to every destination that takes its name. A new email becomes a contact first (source `API`), through the same contact history as Stripe's events. An erased email is refused with 409.",
        tags: ["Events"],
        body: firedEvent,
        response: {
          201: triggerEventSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          409: errorBodySchema,
          422: errorBodySchema,
          429: errorBodySchema,
          503: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const identity = identityOf(request);
      const { workspaceId } = identity;
      return runWrite(db, request, reply, identity, async (tx) => {
        const { email, name, properties } = request.body;
        const { eventId, messageIds } = await applyApiChange(tx, workspaceId, email, {
          authoritative: false,
          triggers: [{ name, properties }],
        });
        const triggerEvent = await tx.triggerEvent.findFirstOrThrow({
          where: { workspaceId, stripeEventId: eventId },
          select: {
            id: true,
            name: true,
            stripeEventId: true,
            occurredAt: true,
            createdAt: true,
            contact: { select: { id: true, email: true } },
          },
        });
        return {
          statusCode: 201,
          body: {
            ...triggerEvent,
            properties,
            occurredAt: triggerEvent.occurredAt.toISOString(),
            createdAt: triggerEvent.createdAt.toISOString(),
          },
          afterCommit: async () => {
            if (!messages || !messageIds.length) return;
            // Committed already: a refused add leaves the messages to the relay.
            await messages
              .addBulk(
                messageIds.map((messageId) => ({ jobId: messageJobId(messageId, 0), payload: { messageId, workspaceId } })),
              )
              .catch((error: unknown) => request.log.warn({ err: error }, "could not queue its messages; the relay will"));
          },
        };
      });
    },
  );
};
