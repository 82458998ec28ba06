import { getReplayProgress } from "@hookloop/core";
import { z } from "zod";
import { requireWorkspace } from "@/server/session";

/** GET ?at=<replayed_at>: how far that bulk replay of this endpoint's deliveries has got (JSON). */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const at = z.iso.datetime().safeParse(new URL(request.url).searchParams.get("at"));
  if (!at.success) return Response.json({ error: "Give the replay's time as ?at=." }, { status: 400 });
  const { workspace, inWorkspace } = await requireWorkspace();
  const progress = await inWorkspace((tx) =>
    getReplayProgress(tx, { workspaceId: workspace.id, endpointId: id, replayedAt: new Date(at.data) }),
  );
  return Response.json(progress, { headers: { "cache-control": "no-store" } });
}
