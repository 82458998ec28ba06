import { z } from "zod";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type CountDeliveriesByDayOptions = { workspaceId: string; endpointId?: string; days?: number };

const countsSchema = z.array(
  z.object({ day: z.date(), status: z.enum(["queued", "processed", "ignored", "failed"]), count: z.number() }),
);

export type DeliveriesPerDay = { day: string; queued: number; processed: number; ignored: number; failed: number };

/** Deliveries per UTC day and status over the last `days` days, oldest first, empty days included. */
export async function countDeliveriesByDay(tx: WorkspaceTx, options: CountDeliveriesByDayOptions): Promise<DeliveriesPerDay[]> {
  const days = options.days ?? 14;
  const counted = await tx.$queryRaw`
    SELECT date_trunc('day', received_at AT TIME ZONE 'UTC') AS day, status::text AS status, count(*)::int AS count
    FROM delivery
    WHERE workspace_id = ${options.workspaceId}
      AND (${options.endpointId ?? null}::text IS NULL OR endpoint_id = ${options.endpointId ?? null})
      AND received_at >= now() - make_interval(days => ${days})
    GROUP BY 1, 2`;
  const rows = countsSchema.parse(counted);
  const byDay = new Map<string, DeliveriesPerDay>();
  for (let offset = days - 1; offset >= 0; offset--) {
    const day = new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
    byDay.set(day, { day, queued: 0, processed: 0, ignored: 0, failed: 0 });
  }
  for (const row of rows) {
    const entry = byDay.get(row.day.toISOString().slice(0, 10));
    if (entry) entry[row.status] = row.count;
  }
  return [...byDay.values()];
}
