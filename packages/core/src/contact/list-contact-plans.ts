import { z } from "zod";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type ListContactPlansOptions = { workspaceId: string };

const plansSchema = z.array(z.object({ plan: z.string() }));

/** The plans the workspace's contacts are on (billing.plan), each once, in alphabetical order; at most 200. */
export async function listContactPlans(tx: WorkspaceTx, options: ListContactPlansOptions): Promise<string[]> {
  const rows = await tx.$queryRaw`
    SELECT DISTINCT billing->>'plan' AS plan
    FROM contact
    WHERE workspace_id = ${options.workspaceId} AND billing->>'plan' IS NOT NULL
    ORDER BY 1
    LIMIT 200`;
  return plansSchema.parse(rows).map((row) => row.plan);
}
