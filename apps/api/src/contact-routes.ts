import { eraseContact, filterContacts, findContact, withWorkspace } from "@hookloop/core";
import type { Db } from "@hookloop/db/client";
import { toContactRecord } from "@hookloop/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorBodySchema, notFound } from "./api-error";
import { identityOf } from "./auth";
import { runWrite } from "./idempotency";
import { contactSchema, emailParam, encodeCursor, erasureSchema, listOf, pageQuery, since, uuidParam } from "./schemas";

const errors = { 401: errorBodySchema, 404: errorBodySchema, 422: errorBodySchema, 429: errorBodySchema, 503: errorBodySchema };

export const contactRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (scope, { db }) => {
  scope.get(
    "/contacts",
    {
      schema: {
        summary: "List contacts, newest first",
        tags: ["Contacts"],
        querystring: pageQuery.extend({
          email: z.string().max(320).optional(),
          subscribed: z
            .enum(["true", "false"])
            .transform((value) => value === "true")
            .optional(),
          /** Only contacts changed at or after this time (ISO 8601). */
          updatedSince: since.optional(),
        }),
        response: { 200: listOf(contactSchema), ...errors },
      },
    },
    async (request) => {
      const { workspaceId } = identityOf(request);
      const { cursor, ...filters } = request.query;
      const page = await withWorkspace(db, workspaceId, (tx) =>
        filterContacts(tx, {
          workspaceId,
          ...(filters.email !== undefined ? { email: filters.email } : {}),
          ...(filters.subscribed !== undefined ? { subscribed: filters.subscribed } : {}),
          ...(filters.updatedSince ? { updatedSince: filters.updatedSince } : {}),
          limit: filters.limit,
          ...(cursor ? { after: cursor } : {}),
        }),
      );
      return { data: page.rows.map(toContactRecord), nextCursor: encodeCursor(page.next) };
    },
  );

  scope.get(
    "/contacts/:id",
    { schema: { summary: "Read a contact", tags: ["Contacts"], params: uuidParam, response: { 200: contactSchema, ...errors } } },
    async (request) => {
      const { workspaceId } = identityOf(request);
      const contact = await withWorkspace(db, workspaceId, (tx) =>
        findContact(tx, { workspaceId, contactId: request.params.id }),
      );
      if (!contact) throw notFound("contact");
      return toContactRecord(contact);
    },
  );

  scope.get(
    "/contacts/by-email/:email",
    {
      schema: {
        summary: "Read a contact by email",
        tags: ["Contacts"],
        params: emailParam,
        response: { 200: contactSchema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId } = identityOf(request);
      const contact = await withWorkspace(db, workspaceId, (tx) => findContact(tx, { workspaceId, email: request.params.email }));
      if (!contact) throw notFound("contact");
      return toContactRecord(contact);
    },
  );

  scope.delete(
    "/contacts/by-email/:email",
    {
      schema: {
        summary: "Erase a person (GDPR art. 17)",
        description:
          "The CLI's contacts:erase: deletes the contact with its trigger events and messages, blanks every stored Stripe payload naming the email, and keeps a hash of it so no later or replayed Stripe event brings the contact back. Erasing an email no contact has still suppresses it.",
        tags: ["Contacts"],
        params: emailParam,
        response: { 200: erasureSchema, 400: errorBodySchema, 403: errorBodySchema, ...errors },
      },
    },
    async (request, reply) => {
      const identity = identityOf(request);
      return runWrite(db, request, reply, identity, async (tx) => {
        const erasure = await eraseContact(tx, {
          workspaceId: identity.workspaceId,
          email: request.params.email,
          requestedBy: `API key ${identity.apiKeyId}`,
        });
        return { statusCode: 200, body: { ...erasure, erasedAt: erasure.erasedAt.toISOString() } };
      });
    },
  );
};
