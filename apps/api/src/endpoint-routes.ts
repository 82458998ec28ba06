import { filterDeliveries, listEndpoints, withWorkspace } from "@hookloop/core";
import type { Db } from "@hookloop/db/client";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorBodySchema } from "./api-error";
import { identityOf } from "./auth";
import { deliverySchema, deliveryStatuses, encodeCursor, endpointSchema, listOf, pageQuery } from "./schemas";

const errors = { 401: errorBodySchema, 422: errorBodySchema, 429: errorBodySchema, 503: errorBodySchema };

export const endpointRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (scope, { db }) => {
  scope.get(
    "/endpoints",
    {
      schema: {
        summary: "List the workspace's Stripe endpoints (all of them, on one page)",
        tags: ["Endpoints"],
        response: { 200: listOf(endpointSchema), ...errors },
      },
    },
    async (request) => {
      const { workspaceId } = identityOf(request);
      const endpoints = await withWorkspace(db, workspaceId, (tx) => listEndpoints(tx, { workspaceId }));
      return {
        data: endpoints.map((endpoint) => ({
          id: endpoint.id,
          name: endpoint.name,
          enabled: endpoint.enabled,
          enabledEvents: endpoint.events.map((event) => event.eventType).sort(),
          deliveryCount: endpoint._count.deliveries,
          createdAt: endpoint.createdAt.toISOString(),
        })),
        nextCursor: null,
      };
    },
  );

  scope.get(
    "/deliveries",
    {
      schema: {
        summary: "List Stripe deliveries, newest first, without payloads",
        tags: ["Endpoints"],
        querystring: pageQuery.extend({
          endpoint: z.string().max(100).optional(),
          status: z.enum(deliveryStatuses).optional(),
          /** A Stripe event type, such as invoice.paid. */
          type: z.string().max(200).optional(),
        }),
        response: { 200: listOf(deliverySchema), ...errors },
      },
    },
    async (request) => {
      const { workspaceId } = identityOf(request);
      const { cursor, endpoint, status, type, limit } = request.query;
      const page = await withWorkspace(db, workspaceId, (tx) =>
        filterDeliveries(tx, {
          workspaceId,
          limit,
          ...(endpoint ? { endpointId: endpoint } : {}),
          ...(status ? { status } : {}),
          ...(type ? { type } : {}),
          ...(cursor ? { after: cursor } : {}),
        }),
      );
      return {
        data: page.rows.map((delivery) => ({
          ...delivery,
          receivedAt: delivery.receivedAt.toISOString(),
          processedAt: delivery.processedAt?.toISOString() ?? null,
        })),
        nextCursor: encodeCursor(page.next),
      };
    },
  );
};
