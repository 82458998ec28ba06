import { Prisma } from "@hookloop/db/client";
import { z } from "zod";
import type { WorkspaceTx } from "../workspace/with-workspace";
import { deliveryCondition, replayableCondition, type DeliveryFilter } from "./delivery-filter";

export type CountDeliveriesOptions = DeliveryFilter & {
  /** Only those a replay can take: failed or ignored, of an event type Hookloop handles. */
  replayable?: boolean;
};

/** How many deliveries the filter selects (what a bulk replay asks the user to confirm). */
export async function countDeliveries(tx: WorkspaceTx, options: CountDeliveriesOptions): Promise<number> {
  const rows = await tx.$queryRaw`
    SELECT count(*)::int AS count FROM delivery d
    WHERE ${deliveryCondition(options)} ${options.replayable ? Prisma.sql`AND ${replayableCondition}` : Prisma.empty}`;
  return z.array(z.object({ count: z.number() })).parse(rows)[0]!.count;
}
