import { QUIET_ENDPOINT_DAYS, refusalCauses, type RefusalCause } from "@hookloop/domain";
import { NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type GetEndpointDiagnosisOptions = { workspaceId: string; endpointId: string; now?: Date };

export type RefusalTally = {
  cause: RefusalCause;
  /** Since `recentSince`: the hour under way and the one before it. */
  recent: number;
  /** Over the last 7 days. */
  week: number;
  lastAt: Date;
};

export type EndpointDiagnosis = {
  /** The start of the previous hour (UTC): counts are kept per hour, so "recent" starts there. */
  recentSince: Date;
  /** Causes with at least one refusal in the last 7 days, in refusalCauses' order. */
  refusals: RefusalTally[];
  /** When the newest verified event (any outcome) was received; null when none ever was. */
  lastEventAt: Date | null;
  /** Neither an event nor the endpoint itself is newer than QUIET_ENDPOINT_DAYS days. */
  quiet: boolean;
};

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/**
 * Why events to one endpoint fail, from ingest's refusal counts (endpoint_refusal), and when it
 * last received one. A deleted endpoint is not found.
 */
export async function getEndpointDiagnosis(tx: WorkspaceTx, options: GetEndpointDiagnosisOptions): Promise<EndpointDiagnosis> {
  const now = options.now ?? new Date();
  const { workspaceId, endpointId } = options;
  const endpoint = await tx.endpoint.findFirst({
    where: { id: endpointId, workspaceId, deletedAt: null },
    select: { createdAt: true },
  });
  if (!endpoint) throw new NotFoundError("endpoint");
  const recentSince = new Date(Math.floor(now.getTime() / hourMs) * hourMs - hourMs);
  const weekAgo = new Date(now.getTime() - QUIET_ENDPOINT_DAYS * dayMs);
  const rows = await tx.endpointRefusal.findMany({
    where: { workspaceId, endpointId, hour: { gte: new Date(Math.floor(weekAgo.getTime() / hourMs) * hourMs) } },
    select: { cause: true, hour: true, count: true, lastAt: true },
  });
  const lastEvent = await tx.delivery.findFirst({
    where: { workspaceId, endpointId },
    orderBy: { receivedAt: "desc" },
    select: { receivedAt: true },
  });
  const refusals = refusalCauses.flatMap((cause): RefusalTally[] => {
    const ofCause = rows.filter((row) => row.cause === cause);
    if (!ofCause.length) return [];
    return [
      {
        cause,
        recent: ofCause.filter((row) => row.hour >= recentSince).reduce((sum, row) => sum + row.count, 0),
        week: ofCause.reduce((sum, row) => sum + row.count, 0),
        lastAt: new Date(Math.max(...ofCause.map((row) => row.lastAt.getTime()))),
      },
    ];
  });
  const lastEventAt = lastEvent?.receivedAt ?? null;
  const quiet = (lastEventAt ?? endpoint.createdAt) < weekAgo;
  return { recentSince, refusals, lastEventAt, quiet };
}
