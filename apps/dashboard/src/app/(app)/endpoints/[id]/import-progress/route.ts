import { getImportRun } from "@hookloop/core";
import { requireWorkspace } from "@/server/session";
import { importRunState } from "../stripe-connection-state";

/** GET: the endpoint's newest import of Stripe customers, its counts and progress (JSON), for the panel's bar. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { workspace, inWorkspace } = await requireWorkspace();
  const run = await inWorkspace((tx) => getImportRun(tx, { workspaceId: workspace.id, endpointId: id }));
  return Response.json(run ? importRunState(run) : null, { headers: { "cache-control": "no-store" } });
}
