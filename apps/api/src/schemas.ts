// The zod schemas the routes validate with and answer in; the OpenAPI document is generated from them.
import { billingStateSchema, contactRecordSchema, isPlausibleEmail } from "@hookloop/domain";
import type { PagePosition } from "@hookloop/core";
import { z } from "zod";

const timestamp = z.iso.datetime({ offset: true });

/**
 * A contact: the domain's contact record (the fields destination messages and the CLI's
 * contacts:list carry), with its conversions spelled out as the JSON they make, so the document
 * can describe them. A field added to the record reaches the API by being added there.
 */
export const contactSchema = contactRecordSchema
  .extend({ billing: billingStateSchema, createdAt: timestamp, updatedAt: timestamp })
  .meta({ id: "Contact" });

export const triggerEventSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    properties: z.record(z.string(), z.unknown()),
    /** The Stripe event that fired it. */
    stripeEventId: z.string(),
    occurredAt: timestamp,
    createdAt: timestamp,
    contact: z.object({ id: z.string(), email: z.string() }),
  })
  .meta({ id: "TriggerEvent" });

export const endpointSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    /** The Stripe event types it applies. */
    enabledEvents: z.array(z.string()),
    deliveryCount: z.number().int(),
    createdAt: timestamp,
  })
  .meta({ id: "Endpoint" });

export const deliveryStatuses = ["queued", "processed", "ignored", "failed"] as const;

export const deliverySchema = z
  .object({
    id: z.string(),
    endpointId: z.string(),
    stripeEventId: z.string(),
    type: z.string(),
    livemode: z.boolean(),
    status: z.enum(deliveryStatuses),
    reason: z.string().nullable(),
    receivedAt: timestamp,
    processedAt: timestamp.nullable(),
    contactId: z.string().nullable(),
  })
  .meta({ id: "Delivery" });

export const erasureSchema = z
  .object({
    id: z.string(),
    contactDeleted: z.boolean(),
    triggerEventsDeleted: z.number().int(),
    deliveriesRedacted: z.number().int(),
    erasedAt: timestamp,
  })
  .meta({ id: "Erasure" });

/** A page of a list, newest first; `nextCursor` is null on the last page. */
export const listOf = <Item extends z.ZodType>(item: Item) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

/** Where the next page starts: opaque to clients (base64url of the last row's time and id). */
export function encodeCursor(position: PagePosition | null): string | null {
  return position ? Buffer.from(JSON.stringify([position.at.toISOString(), position.id])).toString("base64url") : null;
}

const cursorPosition = z.tuple([timestamp, z.string().max(100)]);

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  /** The `nextCursor` of the previous page. */
  cursor: z
    .string()
    .max(300)
    .transform((value, context): PagePosition => {
      try {
        const [at, id] = cursorPosition.parse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
        return { at: new Date(at), id };
      } catch {
        context.addIssue({ code: "custom", message: "Not a cursor this API gave out." });
        return z.NEVER;
      }
    })
    .optional(),
});

export const since = timestamp.transform((value) => new Date(value));

export const emailParam = z.object({
  email: z.string().max(320).refine(isPlausibleEmail, "Not an email address."),
});

export const uuidParam = z.object({ id: z.string().max(100) });
