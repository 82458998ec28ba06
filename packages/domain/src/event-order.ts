// Stripe does not deliver events in order. For one customer, the event with the later `created`
// wins; two events created in the same second are ordered by event id (plain string order), so
// every worker, on every replay, reaches the same result.

export type EventPosition = { created: Date; eventId: string };

export function isNewerThan(candidate: EventPosition, current: EventPosition | null): boolean {
  if (!current) return true;
  const difference = candidate.created.getTime() - current.created.getTime();
  if (difference !== 0) return difference > 0;
  return candidate.eventId > current.eventId;
}
