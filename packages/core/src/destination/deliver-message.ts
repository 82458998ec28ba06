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

export type DeliverOutcome =
  | { kind: "delivered"; attempt: SendAttempt }
  | { kind: "retry"; attempt: SendAttempt; attemptNumber: number; nextAttemptAt: Date }
  | { kind: "failed"; attempt: SendAttempt }
  /** The destination is paused (410 Gone, or failing for autoPauseAfterFailing) and the message waits for its resume. */
  | { kind: "paused"; attempt: SendAttempt }
  /** Nothing to send: the message is gone, done, or its destination paused or disabled. */
  | { kind: "skipped"; reason: string }
  /** Not now: try again at `at`. */
  | { kind: "later"; reason: string; at: Date };

const timestamp = z.string().transform((value) => new Date(value));
const leaseSchema = z.discriminatedUnion("state", [
  z.object({
    state: z.literal("leased"),
    message: z.object({ id: z.string(), messageId: z.string(), payload: z.unknown(), attempts: z.number().int() }),
    destination: z.object({
      id: z.string(),
      url: z.string(),
      secretCiphertext: z.string(),
      previousSecretCiphertext: z.string().nullable(),
      previousSecretExpiresAt: timestamp.nullable(),
    }),
  }),
  z.object({ state: z.literal("gone") }),
  z.object({ state: z.literal("done"), status: z.string() }),
  z.object({ state: z.literal("held") }),
  z.object({ state: z.literal("leased-elsewhere"), until: timestamp }),
  z.object({ state: z.literal("not-due"), at: timestamp }),
  z.object({ state: z.literal("busy") }),
]);

const leaseStatement = "SELECT hookloop_lease_message($1, $2::uuid, $3, $4) AS lease";
const recordStatement = "SELECT hookloop_record_message_attempt($1, $2::uuid, $3::jsonb, $4::jsonb, $5::jsonb) AS waits";
/** Longer than a send can take (4 times its timeout), so a live worker's lease never runs out under it. */
const leaseTimeouts = 4;
const busyRetryMs = 1_000;

// Takes the client, not a WorkspaceTx: it runs two short transactions of its own around the send.
export async function deliverMessage(db: Db, options: DeliverMessageOptions): Promise<DeliverOutcome> {
  // Each step is one statement, so its own transaction: one round trip each.
  const pool = sqlPool(db);
  const leased = await pool.query<{ lease: unknown }>({
    name: "hookloop_lease_message",
    text: leaseStatement,
    values: [
      options.workspaceId,
      options.messageId,
      leaseTimeouts * (options.timeoutMs ?? sendTimeoutMs),
      options.maxInFlight ?? maxInFlightPerDestination,
    ],
  });
  const lease = leaseSchema.parse(leased.rows[0]?.lease);
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
      };
  }

  const { message, destination } = lease;
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
  if (z.boolean().parse(recorded.rows[0]?.waits)) return { kind: "paused", attempt };

  switch (next.kind) {
    case "delivered":
      return { kind: "delivered", attempt };
    case "retry":
      return { kind: "retry", attempt, attemptNumber, nextAttemptAt: next.nextAttemptAt };
    case "give-up":
      return { kind: "failed", attempt };
    case "pause-destination":
      return { kind: "paused", attempt };
  }
}
