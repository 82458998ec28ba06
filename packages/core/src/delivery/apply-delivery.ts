// What the worker does with one queued delivery: in one transaction, change the contact it names,
// fire the trigger events mapped to it and record the outcome on the delivery. Safe to run twice,
// concurrently, or out of order with other deliveries:
// - a delivery that is no longer `queued` is left alone, so a job run twice applies once;
// - advisory locks per Stripe customer and per email serialise work on one contact, and every
//   insert is ON CONFLICT, so concurrent jobs never trip a unique constraint;
// - per Stripe customer, only a customer event newer than the last one applied (see event-order)
//   writes the email and name; a deleted customer stays deleted.
import type { Db, DbClient } from "@hookloop/db/client";
import { Prisma } from "@hookloop/db/client";
import { withWorkspace } from "../workspace/with-workspace";
import {
  erasedEmailHash,
  isNewerThan,
  planContactChange,
  stripeEventSchema,
  type ContactPlan,
  type EventPosition,
  type PlannedTrigger,
} from "@hookloop/domain";

/** The event names no contact yet; the customer event that does may still be on its way. */
export class ContactNotResolvableError extends Error {
  override name = "ContactNotResolvableError";
}

export type ApplyDeliveryOptions = { deliveryId: string; workspaceId: string };

export type ApplyOutcome =
  | { status: "processed"; reason: string; contactId: string | null }
  | { status: "failed"; reason: string }
  | { status: "skipped"; reason: string };

type Contact = { id: string; email: string; firstName: string | null; lastName: string | null; stripeCustomerId: string | null };
type StripeCustomerRow = {
  contact_id: string | null;
  email: string | null;
  last_event_created: Date | null;
  last_event_id: string | null;
  deleted_at: Date | null;
};

type Step = { contactId: string | null; reason: string };

export async function applyDelivery(db: Db, options: ApplyDeliveryOptions): Promise<ApplyOutcome> {
  return withWorkspace(db, options.workspaceId, async (tx) => {
    const locked = await tx.$queryRaw<Array<{ status: string }>>`
        SELECT status FROM delivery WHERE id = ${options.deliveryId}::uuid AND workspace_id = ${options.workspaceId} FOR UPDATE`;
    const status = locked[0]?.status;
    if (status !== "queued") {
      return {
        status: "skipped",
        reason: status ? `The delivery is already ${status}.` : "The delivery no longer exists.",
      } as const;
    }
    const delivery = await tx.delivery.findUniqueOrThrow({
      where: { id: options.deliveryId, workspaceId: options.workspaceId },
      select: {
        id: true,
        workspaceId: true,
        payload: true,
        endpoint: {
          select: {
            syncNames: true,
            onCustomerDeleted: true,
            events: { select: { eventType: true, enabled: true, triggerName: true } },
          },
        },
      },
    });

    const parsed = stripeEventSchema.safeParse(delivery.payload);
    const plan: ContactPlan = parsed.success
      ? planContactChange(parsed.data, delivery.endpoint)
      : { kind: "unusable", reason: "The stored payload is not a Stripe event." };
    if (plan.kind === "unusable") {
      await finish(tx, delivery.id, "failed", plan.reason, null);
      return { status: "failed", reason: plan.reason } as const;
    }

    const event = parsed.data!;
    const position: EventPosition = { created: new Date(event.created * 1000), eventId: event.id };
    const context = { tx, workspaceId: delivery.workspaceId, position };
    const step = plan.kind === "delete" ? await applyDeletion(context, plan) : await applyUpsert(context, plan);

    if (step.contactId && plan.triggers.length) {
      await fireTriggers(context, step.contactId, plan.triggers, delivery.id);
    }
    await finish(tx, delivery.id, "processed", step.reason, step.contactId);
    return { status: "processed", reason: step.reason, contactId: step.contactId } as const;
  });
}

/** Marks a delivery failed for good, outside any transaction that may have been rolled back. */
export async function failDelivery(db: Db, options: { deliveryId: string; workspaceId: string; reason: string }): Promise<void> {
  await withWorkspace(db, options.workspaceId, async (tx) => {
    await tx.delivery.updateMany({
      where: { id: options.deliveryId, status: "queued" },
      data: { status: "failed", reason: options.reason, processedAt: new Date() },
    });
    await tx.deliveryOutbox.deleteMany({ where: { deliveryId: options.deliveryId } });
  });
}

type Context = { tx: DbClient; workspaceId: string; position: EventPosition };

async function finish(
  tx: DbClient,
  deliveryId: string,
  status: "processed" | "failed",
  reason: string,
  contactId: string | null,
) {
  await tx.delivery.update({
    where: { id: deliveryId },
    data: { status, reason, contactId, processedAt: new Date(), attempts: { increment: 1 } },
  });
  await tx.deliveryOutbox.deleteMany({ where: { deliveryId } });
}

async function lock(tx: DbClient, key: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}

async function loadCustomer(ctx: Context, customerId: string): Promise<StripeCustomerRow | null> {
  await lock(ctx.tx, `customer:${ctx.workspaceId}:${customerId}`);
  const rows = await ctx.tx.$queryRaw<StripeCustomerRow[]>`
    SELECT contact_id, email, last_event_created, last_event_id, deleted_at
    FROM stripe_customer WHERE workspace_id = ${ctx.workspaceId} AND customer_id = ${customerId}`;
  return rows[0] ?? null;
}

function watermark(customer: StripeCustomerRow | null): EventPosition | null {
  return customer?.last_event_created && customer.last_event_id
    ? { created: customer.last_event_created, eventId: customer.last_event_id }
    : null;
}

const contactColumns = { id: true, email: true, firstName: true, lastName: true, stripeCustomerId: true } as const;

async function findContactByEmail(ctx: Context, email: string): Promise<Contact | null> {
  return ctx.tx.contact.findUnique({
    where: { workspaceId_email: { workspaceId: ctx.workspaceId, email } },
    select: contactColumns,
  });
}

/** Finds or creates the contact for an email; the email lock makes the pair atomic. */
async function ensureContact(
  ctx: Context,
  email: string,
  fields: { firstName: string | null; lastName: string | null; stripeCustomerId: string | null },
): Promise<{ contact: Contact; created: boolean }> {
  await lock(ctx.tx, `email:${ctx.workspaceId}:${email}`);
  const existing = await findContactByEmail(ctx, email);
  if (existing) return { contact: existing, created: false };
  const contact = await ctx.tx.contact.create({
    data: { workspaceId: ctx.workspaceId, email, source: "Stripe", ...fields },
    select: contactColumns,
  });
  return { contact, created: true };
}

async function saveCustomer(
  ctx: Context,
  customerId: string,
  values: { contactId: string | null; email: string | null; position: EventPosition | null; deleted?: boolean },
) {
  const created = values.position?.created ?? null;
  const eventId = values.position?.eventId ?? null;
  const deletedAt = values.deleted ? new Date() : null;
  await ctx.tx.$executeRaw`
    INSERT INTO stripe_customer (workspace_id, customer_id, contact_id, email, last_event_created, last_event_id, deleted_at)
    VALUES (${ctx.workspaceId}, ${customerId}, ${values.contactId}::uuid, ${values.email}, ${created}, ${eventId}, ${deletedAt})
    ON CONFLICT (workspace_id, customer_id) DO UPDATE SET
      contact_id = EXCLUDED.contact_id,
      email = EXCLUDED.email,
      last_event_created = COALESCE(EXCLUDED.last_event_created, stripe_customer.last_event_created),
      last_event_id = COALESCE(EXCLUDED.last_event_id, stripe_customer.last_event_id),
      deleted_at = COALESCE(stripe_customer.deleted_at, EXCLUDED.deleted_at)`;
}

async function applyUpsert(ctx: Context, plan: Extract<ContactPlan, { kind: "upsert" }>): Promise<Step> {
  const customer = plan.customerId ? await loadCustomer(ctx, plan.customerId) : null;
  if (customer?.deleted_at) {
    return {
      contactId: customer.contact_id,
      reason: `Stripe deleted customer ${plan.customerId}; later events leave the contact as it is.`,
    };
  }
  const newer = plan.authoritative && isNewerThan(ctx.position, watermark(customer));
  const linked = customer?.contact_id
    ? await ctx.tx.contact.findUnique({ where: { id: customer.contact_id }, select: contactColumns })
    : null;
  const email = plan.email ?? linked?.email ?? customer?.email ?? null;
  if (!email) {
    throw new ContactNotResolvableError(
      plan.customerId
        ? `The event has no email, and Stripe customer ${plan.customerId} is not known yet.`
        : "The event has neither an email nor a Stripe customer.",
    );
  }
  if (await isErased(ctx, email)) {
    return { contactId: null, reason: "This email was erased at the contact's request; Hookloop does not add it again." };
  }
  const name = plan.name ?? { firstName: null, lastName: null };

  let contact: Contact;
  let reason: string;
  if (linked && (!newer || !plan.email || plan.email === linked.email)) {
    contact = linked;
    reason = `Updated ${linked.email}.`;
  } else if (linked && plan.email) {
    // A newer customer event with another email: the contact follows the customer.
    await lock(ctx.tx, `email:${ctx.workspaceId}:${plan.email}`);
    const holder = await findContactByEmail(ctx, plan.email);
    if (holder) {
      contact = holder;
      reason = `Customer ${plan.customerId} moved from ${linked.email} to ${plan.email}, which was already a contact.`;
    } else {
      contact = await ctx.tx.contact.update({ where: { id: linked.id }, data: { email: plan.email }, select: contactColumns });
      reason = `Changed the contact's email from ${linked.email} to ${plan.email}.`;
    }
  } else {
    const ensured = await ensureContact(ctx, email, { ...name, stripeCustomerId: plan.customerId });
    contact = ensured.contact;
    reason = ensured.created ? `Created contact ${email}.` : `Matched contact ${email} by email.`;
  }

  const data: Prisma.ContactUpdateInput = {};
  if (plan.name) {
    if (newer) {
      if (plan.name.firstName !== contact.firstName) data.firstName = plan.name.firstName;
      if (plan.name.lastName !== contact.lastName) data.lastName = plan.name.lastName;
    } else if (!contact.firstName && !contact.lastName) {
      data.firstName = plan.name.firstName;
      data.lastName = plan.name.lastName;
    }
  }
  if (plan.customerId && !contact.stripeCustomerId) data.stripeCustomerId = plan.customerId;
  if (Object.keys(data).length) {
    await ctx.tx.contact.update({ where: { id: contact.id }, data, select: { id: true } });
  }
  if (plan.authoritative && !newer) {
    reason = `An event newer than this one was already applied to customer ${plan.customerId}; ${contact.email} was left as it is.`;
  }

  if (plan.customerId) {
    await saveCustomer(ctx, plan.customerId, {
      contactId: contact.id,
      email: newer ? contact.email : (customer?.email ?? contact.email),
      position: newer ? ctx.position : null,
    });
  }
  return { contactId: contact.id, reason };
}

async function isErased(ctx: Context, email: string): Promise<boolean> {
  const emailHash = erasedEmailHash(ctx.workspaceId, email);
  return Boolean(
    await ctx.tx.contactSuppression.findUnique({ where: { workspaceId_emailHash: { workspaceId: ctx.workspaceId, emailHash } } }),
  );
}

async function applyDeletion(ctx: Context, plan: Extract<ContactPlan, { kind: "delete" }>): Promise<Step> {
  const customer = await loadCustomer(ctx, plan.customerId);
  if (customer?.deleted_at) return { contactId: null, reason: `Customer ${plan.customerId} was already deleted.` };
  let contactId = customer?.contact_id ?? null;
  if (!contactId && plan.email) {
    await lock(ctx.tx, `email:${ctx.workspaceId}:${plan.email}`);
    contactId = (await findContactByEmail(ctx, plan.email))?.id ?? null;
  }
  await saveCustomer(ctx, plan.customerId, {
    contactId,
    email: customer?.email ?? plan.email,
    position: ctx.position,
    deleted: true,
  });
  if (!contactId) return { contactId: null, reason: `Customer ${plan.customerId} had no contact; nothing to remove.` };

  const otherHolders = await ctx.tx.stripeCustomer.count({
    where: { workspaceId: ctx.workspaceId, contactId, deletedAt: null, NOT: { customerId: plan.customerId } },
  });
  if (otherHolders > 0) {
    return {
      contactId,
      reason: `Customer ${plan.customerId} is deleted, but another Stripe customer still has this contact's email; kept it.`,
    };
  }
  if (plan.behaviour === "delete") {
    await ctx.tx.contact.delete({ where: { id: contactId } });
    return { contactId: null, reason: `Deleted the contact of customer ${plan.customerId}.` };
  }
  await ctx.tx.contact.update({ where: { id: contactId }, data: { subscribed: false }, select: { id: true } });
  return { contactId, reason: `Unsubscribed the contact of customer ${plan.customerId}.` };
}

async function fireTriggers(ctx: Context, contactId: string, triggers: PlannedTrigger[], deliveryId: string) {
  for (const trigger of triggers) {
    await ctx.tx.$executeRaw`
      INSERT INTO trigger_event (workspace_id, contact_id, name, properties, stripe_event_id, delivery_id, occurred_at)
      VALUES (${ctx.workspaceId}, ${contactId}::uuid, ${trigger.name}, ${JSON.stringify(trigger.properties)}::jsonb,
              ${ctx.position.eventId}, ${deliveryId}::uuid, ${ctx.position.created})
      ON CONFLICT (workspace_id, stripe_event_id, name) DO NOTHING`;
  }
}
