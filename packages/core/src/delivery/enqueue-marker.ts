// Records, a batch at a time, which deliveries reached the queue. A delivery left unmarked (the
// process died, or Redis refused it) is queued again by the relay; a queued one marked late is
// harmless, because the job id is the delivery id and applying a delivery is idempotent.
import type { DbClient } from "@hookloop/db/client";

export type EnqueueMarker = { mark: (deliveryId: string) => void; flush: () => Promise<void>; close: () => Promise<void> };

export function createEnqueueMarker(
  db: DbClient,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): EnqueueMarker {
  let pending: string[] = [];
  let flushing: Promise<void> = Promise.resolve();

  const flush = async () => {
    await flushing;
    if (!pending.length) return;
    const ids = pending;
    pending = [];
    flushing = db.$executeRaw`
      UPDATE delivery SET enqueued_at = now() WHERE id = ANY(${ids}::uuid[]) AND enqueued_at IS NULL`
      .then(() => undefined)
      .catch((error: unknown) => options.onError?.(error));
    await flushing;
  };
  const timer = setInterval(() => void flush(), options.intervalMs ?? 200);
  timer.unref();

  return {
    mark: (deliveryId) => {
      pending.push(deliveryId);
    },
    flush,
    close: async () => {
      clearInterval(timer);
      await flush();
    },
  };
}
