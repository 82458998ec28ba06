// Clears, a batch at a time, the outbox rows of deliveries that reached the queue. A row left in
// the outbox (the process died, or Redis refused the job) is queued again by the relay; a row
// cleared late is harmless, because the job id is the delivery id and applying is idempotent.
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
    flushing = db.$executeRaw`DELETE FROM delivery_outbox WHERE delivery_id = ANY(${ids}::uuid[])`
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
