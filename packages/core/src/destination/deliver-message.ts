// One attempt at sending one message, in three steps, with no database connection held across the
// HTTP request:
// 1. one statement leases the message (hookloop_lease_message): skipped unless it is pending
//    and due, its destination enabled and not paused, and fewer than `maxInFlight` of the
//    destination's messages are being sent (so one slow destination cannot take every worker slot);
// 2. the message is signed (Standard Webhooks, the same webhook-id on every attempt) and POSTed
//    (sendMessage: 15 s, no redirect followed, public addresses only unless private targets are allowed);
// 3. one statement records the attempt and what follows (hookloop_record_message_attempt):
//    delivered; due again after nextAttemptDelay; failed after the last attempt; or, on 410 Gone,
//    the destination paused at once. A destination whose attempts have all failed for
//    `autoPauseAfterFailing` (from its first failure since its last success or resume) is paused
//    by the attempt that finds it so, and this message waits with the others for the resume.
// A worker that dies between 1 and 3 leaves a lease that runs out, and the relay queues the
// message again; the receiver may then see the same webhook-id twice, never two different ones.
// A job that has sent keeps its destination's lane (deliverDestinationBacklog): it leases the next
// due message the same way (hookloop_lease_next_message) and sends it, within a budget, so a
// backlog moves at the pace of its receiver and a job refused for a full destination can end.
import type { Db } from "@hookloop/db/client";
import { sqlPool } from "@hookloop/db/client";
import { nextAttemptDelay, nextStepAfterAttempt, type DestinationUrlRules } from "@hookloop/domain";
import type { SecretBox } from "@hookloop/secrets";
import { z } from "zod";
import { activeDestinationSecrets } from "./destination-secrets";
import { sendMessage, sendTimeoutMs, type SendAttempt } from "./send-message";

/** At most this many of one destination's messages are in flight at once, across all workers. */
export const maxInFlightPerDestination = 4;

/**
 * A destination whose every attempt has failed for this long, counted from its first failed
 * attempt since its last success (or since it was last resumed), is paused automatically. A
 * destination that is merely quiet is never paused: only a failed attempt starts the count.
 */
export const autoPauseAfterFailing = { afterMs: 5 * 24 * 60 * 60 * 1000, after: "5 days" } as const;

export type DeliverMessageOptions = DestinationUrlRules & {
  workspaceId: string;
  /** The message row's id (a uuid), not its msg_ id. */
  messageId: string;
  /** Opens the destination's signing secrets. */
  box: SecretBox;
  maxInFlight?: number;
  timeoutMs?: number;
  /** The wait after failed attempt `attemptNumber`, or null after the last: the domain's schedule unless a test shortens it. */
  retryDelay?: (attemptNumber: number, random: number) => number | null;
  random?: () => number;
  /** Defaults to autoPauseAfterFailing. */
  autoPause?: { afterMs: number; after: string };
};

/** An attempt made: what followed it. */
export type AttemptOutcome = { destinationId: string } & (
  | { kind: "delivered"; attempt: SendAttempt }
  | { kind: "retry"; attempt: SendAttempt; attemptNumber: number; nextAttemptAt: Date }
  | { kind: "failed"; attempt: SendAttempt }
  /** The destination is paused (410 Gone, or failing for autoPauseAfterFailing) and the message waits for its resume. */
  | { kind: "paused"; attempt: SendAttempt }
);

export type DeliverOutcome =
  | AttemptOutcome
  /** Nothing to send: the message is gone, done, or its destination paused or disabled. */
  | { kind: "skipped"; reason: string }
  /**
   * Not now: try again at `at`. `busy` when the destination had as many messages in flight as it
   * may: those sends' jobs go on with its due messages (deliverDestinationBacklog), this one among them.
   */
  | { kind: "later"; reason: string; at: Date; busy?: true };

/** How much of a backlog one job sends after its own message before it hands on to a new job. */
export const backlogBudget = { messages: 25, ms: 5_000 } as const;

const timestamp = z.string().transform((value) => new Date(value));
const leased = z.object({
  state: z.literal("leased"),
  message: z.object({ id: z.string(), messageId: z.string(), payload: z.unknown(), attempts: z.number().int() }),
  destination: z.object({
    id: z.string(),
    url: z.string(),
    secretCiphertext: z.string(),
    previousSecretCiphertext: z.string().nullable(),
    previousSecretExpiresAt: timestamp.nullable(),
  }),
});
type Lease = z.infer<typeof leased>;
const leaseSchema = z.discriminatedUnion("state", [
  leased,
  z.object({ state: z.literal("gone") }),
  z.object({ state: z.literal("done"), status: z.string() }),
  z.object({ state: z.literal("held") }),
  z.object({ state: z.literal("leased-elsewhere"), until: timestamp }),
  z.object({ state: z.literal("not-due"), at: timestamp }),
  z.object({ state: z.literal("busy") }),
]);

const leaseNextSchema = z.discriminatedUnion("state", [
  leased,
  z.object({ state: z.literal("due"), messageId: z.string() }),
  z.object({ state: z.literal("idle") }),
  z.object({ state: z.literal("held") }),
  z.object({ state: z.literal("busy") }),
]);

const leaseStatement = "SELECT hookloop_lease_message($1, $2::uuid, $3, $4) AS lease";
const leaseNextStatement = "SELECT hookloop_lease_next_message($1, $2, $3, $4, $5) AS lease";
const recordStatement = "SELECT hookloop_record_message_attempt($1, $2::uuid, $3::jsonb, $4::jsonb, $5::jsonb) AS waits";
/** Longer than a send can take (4 times its timeout), so a live worker's lease never runs out under it. */
const leaseTimeouts = 4;
/** When a `busy` caller might try again; the worker's jobs end instead (see DeliverOutcome). */
const busyRetryMs = 1_000;

// Takes the client, not a WorkspaceTx: it runs two short transactions of its own around the send.
export async function deliverMessage(db: Db, options: DeliverMessageOptions): Promise<DeliverOutcome> {
  // Each step is one statement, so its own transaction: one round trip each.
  const pool = sqlPool(db);
  const result = await pool.query<{ lease: unknown }>({
    name: "hookloop_lease_message",
    text: leaseStatement,
    values: [
      options.workspaceId,
      options.messageId,
      leaseTimeouts * (options.timeoutMs ?? sendTimeoutMs),
      options.maxInFlight ?? maxInFlightPerDestination,
    ],
  });
  const lease = leaseSchema.parse(result.rows[0]?.lease);
  switch (lease.state) {
    case "gone":
      return { kind: "skipped", reason: "The message no longer exists." };
    case "done":
      return { kind: "skipped", reason: `The message is already ${lease.status}.` };
    case "held":
      return { kind: "skipped", reason: "Its destination is paused or disabled; the message waits for a resume." };
    case "leased-elsewhere":
      return { kind: "later", reason: "Another worker is sending it.", at: lease.until };
    case "not-due":
      return { kind: "later", reason: "It is not due yet.", at: lease.at };
    case "busy":
      return {
        kind: "later",
        reason: "Its destination has as many messages in flight as it may.",
        at: new Date(Date.now() + busyRetryMs),
        busy: true,
      };
  }
  return sendLeased(db, options, lease);
}

export type DeliverBacklogOptions = Omit<DeliverMessageOptions, "messageId"> & {
  destinationId: string;
  /** Messages already sent and time already spent count against `budget` from here. */
  sent?: number;
  startedAt?: number;
  budget?: { messages: number; ms: number };
};

export type BacklogResult = {
  /** What each message leased and sent here became. */
  sent: { messageId: string; outcome: AttemptOutcome }[];
  /** The destination's next due message, when the budget ran out with more due: a new job should take it. */
  next: string | null;
};

/**
 * Call after an attempt at one of the destination's messages ended (its lease is over): leases the
 * destination's next due, free message (hookloop_lease_next_message, the same in-flight limit,
 * pause and lease length as deliverMessage) and sends it, again and again, until nothing is due or
 * free, the destination pauses, or the budget (25 messages or 5 s by default) is spent; then names
 * the next due message for a job of its own, so a worker closing is never held up for long.
 */
export async function deliverDestinationBacklog(db: Db, options: DeliverBacklogOptions): Promise<BacklogResult> {
  const pool = sqlPool(db);
  const budget = options.budget ?? backlogBudget;
  const startedAt = options.startedAt ?? Date.now();
  const sent: BacklogResult["sent"] = [];
  const spent = () => (options.sent ?? 0) + sent.length >= budget.messages || Date.now() - startedAt >= budget.ms;
  for (;;) {
    const take = !spent();
    const result = await pool.query<{ lease: unknown }>({
      name: "hookloop_lease_next_message",
      text: leaseNextStatement,
      values: [
        options.workspaceId,
        options.destinationId,
        leaseTimeouts * (options.timeoutMs ?? sendTimeoutMs),
        options.maxInFlight ?? maxInFlightPerDestination,
        take,
      ],
    });
    const lease = leaseNextSchema.parse(result.rows[0]?.lease);
    if (lease.state === "due") return { sent, next: lease.messageId };
    if (lease.state !== "leased") return { sent, next: null };
    const outcome = await sendLeased(db, options, lease);
    sent.push({ messageId: lease.message.id, outcome });
    if (outcome.kind === "paused") return { sent, next: null };
  }
}

/** Steps 2 and 3 for a message leased to the caller. */
async function sendLeased(
  db: Db,
  options: Omit<DeliverMessageOptions, "messageId">,
  { message, destination }: Lease,
): Promise<AttemptOutcome> {
  const pool = sqlPool(db);
  const secrets = activeDestinationSecrets({ ...destination, workspaceId: options.workspaceId }, options.box);
  const attempt = await sendMessage({
    url: destination.url,
    messageId: message.messageId,
    body: JSON.stringify(message.payload),
    secrets,
    allowPrivateTargets: options.allowPrivateTargets,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });

  const attemptNumber = message.attempts + 1;
  const random = (options.random ?? Math.random)();
  const step = nextStepAfterAttempt({ status: attempt.status, attemptNumber, random });
  const delayMs = step.kind === "retry" ? (options.retryDelay ?? nextAttemptDelay)(attemptNumber, random) : null;
  const next =
    step.kind === "retry"
      ? delayMs === null
        ? { kind: "give-up" as const }
        : { kind: "retry" as const, nextAttemptAt: new Date(Date.now() + delayMs) }
      : step.kind === "pause-destination"
        ? {
            kind: step.kind,
            reason: `The destination answered 410 Gone at ${attempt.attemptedAt.toISOString()}, so it was paused.`,
          }
        : step;

  const recorded = await pool.query<{ waits: unknown }>({
    name: "hookloop_record_message_attempt",
    text: recordStatement,
    values: [
      options.workspaceId,
      message.id,
      {
        attemptedAt: attempt.attemptedAt.toISOString(),
        httpStatus: attempt.status,
        latencyMs: attempt.latencyMs,
        responseExcerpt: attempt.responseBody,
        error: attempt.error,
      },
      next,
      options.autoPause ?? autoPauseAfterFailing,
    ],
  });
  const destinationId = destination.id;
  if (z.boolean().parse(recorded.rows[0]?.waits)) return { kind: "paused", attempt, destinationId };

  switch (next.kind) {
    case "delivered":
      return { kind: "delivered", attempt, destinationId };
    case "retry":
      return { kind: "retry", attempt, attemptNumber, nextAttemptAt: next.nextAttemptAt, destinationId };
    case "give-up":
      return { kind: "failed", attempt, destinationId };
    case "pause-destination":
      return { kind: "paused", attempt, destinationId };
  }
}
