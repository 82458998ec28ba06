// When a delivery may be replayed: the dashboard offers Replay only where it can succeed, and core's
// replay refuses the rest with the same words.
import { isSupportedEventType } from "./stripe-event-catalogue";

/** The statuses a replay takes: what is queued or processed is not replayed. */
export const replayableStatuses = ["failed", "ignored"] as const;

export type ReplayableStatus = (typeof replayableStatuses)[number];

export const isReplayableStatus = (status: string): status is ReplayableStatus =>
  (replayableStatuses as readonly string[]).includes(status);

/**
 * Why this delivery cannot be replayed, or null when it can: only a failed or ignored delivery of
 * an event type Hookloop handles (any other is ignored again, whatever the endpoint's settings).
 */
export function replayRefusal(delivery: { status: string; type: string }): string | null {
  if (!isReplayableStatus(delivery.status)) {
    return `Only failed or ignored deliveries can be replayed; this one is ${delivery.status}.`;
  }
  if (!isSupportedEventType(delivery.type)) {
    return `Hookloop does not handle ${delivery.type} events, so a replay could only ignore it again.`;
  }
  return null;
}
