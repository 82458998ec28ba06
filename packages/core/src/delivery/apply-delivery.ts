// What the worker does with one queued delivery: in one transaction, claim it, turn its Stripe
// event into a contact change (@hookloop/domain planContactChange), replay the part of the
// workspace's contact history the change belongs to with the event in its place, in Stripe's order,
// write what the replay changed and record the outcome on the delivery (contact/contact-history.ts).
// Safe to run twice, concurrently, or out of order with other deliveries:
// - a delivery that is no longer `queued` is left alone, so a job run twice applies once;
// - the history holds each Stripe event once, and the contacts are whatever replaying it makes,
//   so the order deliveries arrive in does not change the end;
// - deliveries whose parts of the history touch are serialised by advisory locks.
//
// One delivery costs five round trips (BEGIN, claim, lock, apply, COMMIT), and one more to record
// destination messages when the claim lists enabled destinations and the event made some.
// hookloop_claim_delivery names the workspace for the transaction, locks the delivery row and
// returns its payload, the endpoint's settings and the workspace's enabled destinations.
import type { Db } from "@hookloop/db/client";
import { endpointEventSettingSchema, planContactChange, stripeEventSchema, withTriggerNote } from "@hookloop/domain";
import { z } from "zod";
import {
  ContactNotResolvableError,
  erasedReason,
  lockContactHistory,
  replayPart,
  subscriptionChangeTriggersOf,
  withContactHistory,
  writeReplay,
  type HistoryLock,
  type HistorySql,
  type NewHistoryEvent,
  type ReplayedPart,
} from "../contact/contact-history";
import { claimedDestinationSchema } from "../destination/fired-trigger-messages";
import { withWorkspace } from "../workspace/with-workspace";

export type ApplyDeliveryOptions = { deliveryId: string; workspaceId: string };

export type ApplyOutcome =
  | {
      status: "processed";
      reason: string;
      contactId: string | null;
      /** The destination messages recorded with it (message row ids), to queue once committed; absent when none. */
      messageIds?: string[];
    }
  | { status: "failed"; reason: string }
  | { status: "skipped"; reason: string };

const deletionBehaviour = z.enum(["delete", "unsubscribe"]);

/** A row of hookloop_claim_delivery: the delivery's status and, while it is queued, what applying it needs. */
const claimedDeliverySchema = z.object({
  status: z.enum(["queued", "processed", "ignored", "failed"]),
  payload: z.unknown(),
  sync_names: z.boolean(),
  on_customer_deleted: deletionBehaviour,
  events: z.array(endpointEventSettingSchema).nullable(),
  destinations: z.array(claimedDestinationSchema).nullable().optional(),
});

const claimStatement = "SELECT * FROM hookloop_claim_delivery($1, $2::uuid)";

// Takes the client, not a WorkspaceTx: it runs its own transaction on a pg connection, and
// hookloop_claim_delivery sets the workspace in SQL.
export async function applyDelivery(db: Db, options: ApplyDeliveryOptions): Promise<ApplyOutcome> {
  return withContactHistory(db, (client, lock) => applyClaimed(client, options, lock));
}

async function applyClaimed(client: HistorySql, options: ApplyDeliveryOptions, lock: HistoryLock): Promise<ApplyOutcome> {
  const claimed = await client.query({
    name: "hookloop_claim_delivery",
    text: claimStatement,
    values: [options.workspaceId, options.deliveryId],
  });
  const row = claimed.rows[0] === undefined ? undefined : claimedDeliverySchema.parse(claimed.rows[0]);
  if (row?.status !== "queued") {
    return { status: "skipped", reason: row ? `The delivery is already ${row.status}.` : "The delivery no longer exists." };
  }

  /** Writes the event into the history, what changed, and the delivery's outcome. */
  const finish = async <Outcome extends ApplyOutcome>(
    outcome: Outcome,
    replayed?: { event: NewHistoryEvent; part: ReplayedPart; type: string },
  ): Promise<Outcome> => {
    const { messageIds } = await writeReplay(client, {
      workspaceId: options.workspaceId,
      deliveryId: options.deliveryId,
      event: replayed?.event,
      writes: replayed?.part.writes,
      outcome,
      destinations: row.destinations ?? [],
      origin: replayed && { id: replayed.event.eventId, type: replayed.type, created: replayed.event.created },
    });
    return messageIds.length ? { ...outcome, messageIds } : outcome;
  };

  const parsed = stripeEventSchema.safeParse(row.payload);
  if (!parsed.success) return finish({ status: "failed", reason: "The stored payload is not a Stripe event." });
  const stripeEvent = parsed.data;
  const change = planContactChange(stripeEvent, {
    syncNames: row.sync_names,
    onCustomerDeleted: row.on_customer_deleted,
    events: row.events ?? [],
  });
  if (change.kind === "unusable") return finish({ status: "failed", reason: change.reason });

  const part = await lockContactHistory(client, options.workspaceId, change, lock);
  if ("erased" in part) return finish({ status: "processed", reason: erasedReason, contactId: null });
  const event = { eventId: stripeEvent.id, created: new Date(stripeEvent.created * 1000), change };
  const replayed = replayPart(part, event, subscriptionChangeTriggersOf(row.events ?? []));
  if (replayed.placed.unresolvable) throw new ContactNotResolvableError(replayed.placed.reason);
  return finish(
    { status: "processed", reason: withTriggerNote(replayed.placed.reason, change), contactId: replayed.contactId },
    { event, part: replayed, type: stripeEvent.type },
  );
}

export type FailDeliveryOptions = { deliveryId: string; workspaceId: string; reason: string };

/** Marks a delivery failed for good, in a transaction of its own: the one that failed may have been rolled back. */
export async function failDelivery(db: Db, options: FailDeliveryOptions): Promise<void> {
  await withWorkspace(db, options.workspaceId, async (tx) => {
    await tx.delivery.updateMany({
      where: { id: options.deliveryId, status: "queued" },
      data: { status: "failed", reason: options.reason, processedAt: new Date() },
    });
    await tx.deliveryOutbox.deleteMany({ where: { deliveryId: options.deliveryId } });
  });
}
