// Fairness between workspaces on the one deliveries queue. A workspace sending a burst (a monthly
// billing run: thousands of invoice.paid at once) must not make every other workspace's events wait
// behind it. BullMQ takes jobs without a priority first, then prioritized ones by their priority
// (lower first), FIFO within one: so a workspace within its budget of recent deliveries queues its
// jobs as usual, and one over it queues them with a priority that grows with how far over it is.
// Everyone else's events pass the burst; the burst itself keeps its order (each customer's events
// are ordered by the contact history anyway) and drains at full speed when nothing else waits.
// Counted per ingest process, in memory: with several, each holds its share of the budget.

export type BurstPriorityOptions = {
  /** Deliveries a workspace may queue in a window before its next ones wait behind everyone else's. */
  budget: number;
  windowMs: number;
  now?: () => number;
};

/** BullMQ's lowest priority. */
const lowestPriority = 2 ** 21 - 1;

/** Returns, for each delivery queued, the priority to queue it with: none within the budget. */
export function createBurstPriority(options: BurstPriorityOptions): (workspaceId: string) => number | undefined {
  const now = options.now ?? Date.now;
  const windows = new Map<string, { startedAt: number; count: number }>();
  return (workspaceId) => {
    const at = now();
    let window = windows.get(workspaceId);
    if (!window || at - window.startedAt >= options.windowMs) {
      // Windows of workspaces gone quiet are dropped as they are met again, or here, now and then.
      if (windows.size > 10_000) for (const [id, old] of windows) if (at - old.startedAt >= options.windowMs) windows.delete(id);
      window = { startedAt: at, count: 0 };
      windows.set(workspaceId, window);
    }
    window.count++;
    if (window.count <= options.budget) return undefined;
    return Math.min(lowestPriority, Math.ceil((window.count - options.budget) / options.budget));
  };
}
