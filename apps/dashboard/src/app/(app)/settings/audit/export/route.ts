import { listAuditEntries } from "@hookloop/core";
import { csvCell, managesWorkspace } from "@hookloop/domain";
import { requireWorkspace } from "@/server/session";
import { auditFilters, auditQuery } from "../audit-filters";

/** The audit log (with the page's filters) as CSV, newest first, streamed page by page. */
export async function GET(request: Request) {
  const { workspace, role, inWorkspace } = await requireWorkspace();
  if (!managesWorkspace(role)) {
    return new Response("Only the workspace's owners and admins can read the audit log.\n", {
      status: 403,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "private, no-store" },
    });
  }
  const query = auditQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { after: _ignored, ...filters } = auditFilters(query);
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode("time,actor,actor_kind,actor_id,action,target_type,target_id,target,details\n"));
      let after = undefined as { at: Date; id: string } | undefined;
      do {
        const page = await inWorkspace((tx) =>
          listAuditEntries(tx, { workspaceId: workspace.id, ...filters, after, limit: 500 }),
        );
        const lines = page.rows.map((entry) =>
          [
            entry.createdAt,
            entry.actorLabel,
            entry.actorKind,
            entry.actorId,
            entry.action,
            entry.targetType,
            entry.targetId,
            entry.targetLabel,
            JSON.stringify(entry.details),
          ]
            .map(csvCell)
            .join(","),
        );
        if (lines.length) controller.enqueue(encoder.encode(`${lines.join("\n")}\n`));
        after = page.next ?? undefined;
      } while (after);
      controller.close();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      // Who did what in the workspace, with their emails: kept out of shared and browser caches.
      "cache-control": "private, no-store",
      "content-disposition": `attachment; filename="hookloop-audit-log-${new Date().toISOString().slice(0, 10)}.csv"`,
    },
  });
}
