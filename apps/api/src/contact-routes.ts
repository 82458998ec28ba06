import { eraseContact, filterContacts, findContact, withWorkspace, type WorkspaceTx } from "@hookloop/core";
import type { Db } from "@hookloop/db/client";
import { toContactRecord } from "@hookloop/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { applyApiChange, type ApiChange } from "./api-change";
import { ApiError, errorBodySchema, notFound } from "./api-error";
import { identityOf } from "./auth";
import { runWrite } from "./idempotency";
import { contactSchema, emailParam, encodeCursor, erasureSchema, listOf, pageQuery, since, uuidParam } from "./schemas";

const errors = { 401: errorBodySchema, 404: errorBodySchema, 422: errorBodySchema, 429: errorBodySchema, 503: errorBodySchema };
const writeErrors = { ...errors, 400: errorBodySchema, 403: errorBodySchema, 409: errorBodySchema };

const nameField = z.string().trim().max(200).nullable().optional();
const contactUpdate = z
  .object({
    /** Null clears it; left out, the contact keeps its own. */
    firstName: nameField,
    lastName: nameField,
    subscribed: z.boolean().optional(),
  })
  .strict()
  .meta({ id: "ContactUpdate" });

/** The contact as it stands after a change from the API, and whether the change created it. */
async function writeContact(tx: WorkspaceTx, workspaceId: string, email: string, change: Omit<ApiChange, "authoritative">) {
  const { eventId, contactId } = await applyApiChange(tx, workspaceId, email, { ...change, authoritative: true });
  const contact = await tx.contact.findFirstOrThrow({ where: { id: contactId! }, omit: { workspaceId: true } });
  const { firstEventId, ...row } = contact;
  return { contact: toContactRecord(row), created: firstEventId === eventId };
}

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

  scope.put(
    "/contacts/by-email/:email",
    {
      schema: {
        summary: "Create or update a contact by email",
        description:
          "From your own app (source `API`). The change joins the contact's history dated when Hookloop receives it, and is replayed with Stripe's events in the order of their times: a Stripe event created later than this request overwrites the names it sets, one created earlier does not, whichever arrives first. A field left out keeps the contact's value. An erased email is refused with 409. 201 when the contact is new.",
        tags: ["Contacts"],
        params: emailParam,
        body: contactUpdate,
        response: { 200: contactSchema, 201: contactSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const identity = identityOf(request);
      const { firstName, lastName, subscribed } = request.body;
      return runWrite(db, request, reply, identity, async (tx) => {
        const { contact, created } = await writeContact(tx, identity.workspaceId, request.params.email, {
          ...(firstName !== undefined || lastName !== undefined ? { name: { firstName, lastName } } : {}),
          ...(subscribed !== undefined ? { subscribed } : {}),
        });
        return { statusCode: created ? 201 : 200, body: contact };
      });
    },
  );

  scope.post(
    "/contacts/by-email/:email/unsubscribe",
    {
      schema: {
        summary: "Unsubscribe a contact",
        description:
          "The person asked your app to stop sending them marketing: the contact stays, with `subscribed: false`, until a later PUT subscribes it again; Stripe's events do not. 404 for an email no contact has.",
        tags: ["Contacts"],
        params: emailParam,
        response: { 200: contactSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const identity = identityOf(request);
      return runWrite(db, request, reply, identity, async (tx) => {
        const { contact, created } = await writeContact(tx, identity.workspaceId, request.params.email, { subscribed: false });
        // Rolls the new contact back with the transaction.
        if (created) throw new ApiError(404, "not_found", "No contact with that email in this workspace.");
        return { statusCode: 200, body: contact };
      });
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
          actor: { kind: "api_key", apiKeyId: identity.apiKeyId },
        });
        return { statusCode: 200, body: { ...erasure, erasedAt: erasure.erasedAt.toISOString() } };
      });
    },
  );
};
