// What a list of deliveries is narrowed to, as one SQL condition: listDeliveries pages through it,
// countDeliveries counts it and replayDeliveries replays it, so the three always agree on what
// "the deliveries this filter selects" are.
import { Prisma, type DeliveryStatus } from "@hookloop/db/client";
import { normaliseEmail, replayableStatuses, supportedEventTypes } from "@hookloop/domain";

export type DeliveryFilter = {
  workspaceId: string;
  endpointId?: string;
  status?: DeliveryStatus;
  /** A Stripe event type, such as invoice.paid. */
  type?: string;
  contactId?: string;
  /** Received at or after this time. */
  receivedFrom?: Date;
  /** Received before this time. */
  receivedBefore?: Date;
  /**
   * A Stripe event id (evt_…), an email (it has an @), or else a Stripe customer id (cus_…): the
   * event, or the deliveries whose event names that email or customer.
   */
  search?: string;
};

/**
 * The customer and the email a delivery's payload names. The migration that added search indexes
 * these very expressions (prisma/migrations/…_endpoint_deletion_and_delivery_search); change both
 * together or the search stops using them.
 */
const customerOf = Prisma.raw(
  `COALESCE(d.payload #>> '{data,object,customer,id}', d.payload #>> '{data,object,customer}', CASE WHEN d.payload #>> '{data,object,object}' = 'customer' THEN d.payload #>> '{data,object,id}' END)`,
);
const emailOf = Prisma.raw(
  `lower(COALESCE(d.payload #>> '{data,object,email}', d.payload #>> '{data,object,customer_email}', d.payload #>> '{data,object,customer_details,email}', d.payload #>> '{data,object,billing_details,email}', d.payload #>> '{data,object,receipt_email}'))`,
);

/** What a search term asks for. */
export function searchCondition(search: string): Prisma.Sql {
  const term = search.trim();
  if (term.startsWith("evt_")) return Prisma.sql`d.stripe_event_id = ${term}`;
  if (term.includes("@")) return Prisma.sql`${emailOf} = ${normaliseEmail(term)}`;
  return Prisma.sql`${customerOf} = ${term}`;
}

/** The filter as a condition on `delivery d`. */
export function deliveryCondition(filter: DeliveryFilter): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`d.workspace_id = ${filter.workspaceId}`];
  if (filter.endpointId) conditions.push(Prisma.sql`d.endpoint_id = ${filter.endpointId}`);
  if (filter.status) conditions.push(Prisma.sql`d.status = ${filter.status}::delivery_status`);
  if (filter.type) conditions.push(Prisma.sql`d.type = ${filter.type}`);
  if (filter.contactId) conditions.push(Prisma.sql`d.contact_id = ${filter.contactId}::uuid`);
  if (filter.receivedFrom) conditions.push(Prisma.sql`d.received_at >= ${filter.receivedFrom}`);
  if (filter.receivedBefore) conditions.push(Prisma.sql`d.received_at < ${filter.receivedBefore}`);
  if (filter.search?.trim()) conditions.push(searchCondition(filter.search));
  return Prisma.join(conditions, " AND ");
}

/** What replayRefusal (domain) allows, as a condition on `delivery d`: failed or ignored, of a type Hookloop handles. */
export const replayableCondition = Prisma.sql`d.status::text IN (${Prisma.join([...replayableStatuses])}) AND d.type IN (${Prisma.join([...supportedEventTypes])})`;
