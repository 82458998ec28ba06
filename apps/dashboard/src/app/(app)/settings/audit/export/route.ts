import { listAuditEntries } from "@hookloop/core";
import { managesWorkspace } from "@hookloop/domain";
import { csvDownload } from "@/server/csv-download";
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
  return csvDownload<{ at: Date; id: string }>({
    name: "hookloop-audit-log",
    header: ["time", "actor", "actor_kind", "actor_id", "action", "target_type", "target_id", "target", "details"],
    page: async (after) => {
      const page = await inWorkspace((tx) => listAuditEntries(tx, { workspaceId: workspace.id, ...filters, after, limit: 500 }));
      return {
        rows: page.rows.map((entry) => [
          entry.createdAt,
          entry.actorLabel,
          entry.actorKind,
          entry.actorId,
          entry.action,
          entry.targetType,
          entry.targetId,
          entry.targetLabel,
          JSON.stringify(entry.details),
        ]),
        next: page.next ?? undefined,
      };
    },
  });
}
