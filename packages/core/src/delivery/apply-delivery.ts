// What the worker does with one queued delivery: in one transaction, change the contact it names,
// fire the trigger events mapped to it and record the outcome on the delivery. Safe to run twice,
// concurrently, or out of order with other deliveries:
// - a delivery that is no longer `queued` is left alone, so a job run twice applies once;
// - advisory locks per Stripe customer and per email serialise work on one contact, and every
//   insert is ON CONFLICT, so concurrent jobs never trip a unique constraint;
// - per Stripe customer, only a customer event newer than the last one applied (see event-order)
//   writes the email and name; a deleted customer stays deleted.
//
// The database work is two functions (prisma/migrations/*_apply_delivery_functions), so one
// delivery costs four round trips (BEGIN, claim, apply, COMMIT) on a plain `pg` connection of the
// Prisma client's own pool, under the same role and row-level security:
// - hookloop_claim_delivery names the workspace for the transaction, locks the delivery row and
//   returns its payload and the endpoint's settings;
// - the domain turns those into a plan (planContactChange), here, in TypeScript;
// - hookloop_apply_plan takes the plan and does the locking, the ordering watermark, the
//   suppression check, the contact and stripe_customer writes, the triggers and the outcome.
import type { Db, SqlClient } from "@hookloop/db/client";
import { sqlPool } from "@hookloop/db/client";
import { withWorkspace } from "../workspace/with-workspace";
import { planContactChange, stripeEventSchema, type ContactPlan, type EndpointSettings } from "@hookloop/domain";

/** The event names no contact yet; the customer event that does may still be on its way. */
export class ContactNotResolvableError extends Error {
  override name = "ContactNotResolvableError";
}

export type ApplyDeliveryOptions = { deliveryId: string; workspaceId: string };

export type ApplyOutcome =
  | { status: "processed"; reason: string; contactId: string | null }
  | { status: "failed"; reason: string }
  | { status: "skipped"; reason: string };

type ClaimedDelivery = {
  status: string;
  payload: unknown;
  sync_names: boolean;
  on_customer_deleted: EndpointSettings["onCustomerDeleted"];
  events: EndpointSettings["events"] | null;
};
type AppliedPlan = { status: "processed" | "failed" | "unresolvable"; reason: string; contactId: string | null };

// Named statements: each connection parses and plans them once.
const claimStatement = "SELECT * FROM hookloop_claim_delivery($1, $2::uuid)";
const applyStatement = "SELECT hookloop_apply_plan($1::uuid, $2::jsonb, $3, $4::timestamptz) AS result";

export async function applyDelivery(db: Db, options: ApplyDeliveryOptions): Promise<ApplyOutcome> {
  const client = await sqlPool(db).connect();
  let unusable: Error | undefined;
  try {
    await client.query("BEGIN");
    const outcome = await applyClaimed(client, options);
    await client.query("COMMIT");
    return outcome;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: Error) => {
      // A connection that cannot roll back is in an unknown state: the pool drops it.
      unusable = rollbackError;
    });
    throw error;
  } finally {
    client.release(unusable);
  }
}

async function applyClaimed(client: SqlClient, options: ApplyDeliveryOptions): Promise<ApplyOutcome> {
  const claimed = await client.query<ClaimedDelivery>({
    name: "hookloop_claim_delivery",
    text: claimStatement,
    values: [options.workspaceId, options.deliveryId],
  });
  const row = claimed.rows[0];
  if (row?.status !== "queued") {
    return { status: "skipped", reason: row ? `The delivery is already ${row.status}.` : "The delivery no longer exists." };
  }

  const parsed = stripeEventSchema.safeParse(row.payload);
  const settings: EndpointSettings = {
    syncNames: row.sync_names,
    onCustomerDeleted: row.on_customer_deleted,
    events: row.events ?? [],
  };
  const plan: ContactPlan | { kind: "unusable"; reason: string } = parsed.success
    ? planContactChange(parsed.data, settings)
    : { kind: "unusable", reason: "The stored payload is not a Stripe event." };
  const applied = await client.query<{ result: AppliedPlan }>({
    name: "hookloop_apply_plan",
    text: applyStatement,
    values: [
      options.deliveryId,
      JSON.stringify(plan),
      parsed.success ? parsed.data.id : null,
      parsed.success ? new Date(parsed.data.created * 1000) : null,
    ],
  });
  const result = applied.rows[0]!.result;
  if (result.status === "unresolvable") throw new ContactNotResolvableError(result.reason);
  if (result.status === "failed") return { status: "failed", reason: result.reason };
  return { status: "processed", reason: result.reason, contactId: result.contactId };
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
