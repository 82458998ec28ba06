import { listOpenAlerts } from "@hookloop/core";
import { alertSummary, type AlertKind } from "@hookloop/domain";
import { timestamp } from "@/components/tables";
import { requireWorkspace } from "@/server/session";

/**
 * The endpoint's open alerts (silent, failing), as its owners and admins were emailed them: one
 * banner each, until the worker's alert check finds the trouble gone.
 */
export async function EndpointAlerts({ endpointId }: { endpointId: string }) {
  const { workspace, inWorkspace } = await requireWorkspace();
  const alerts = await inWorkspace((tx) => listOpenAlerts(tx, { workspaceId: workspace.id, subjectId: endpointId }));
  return alerts.map((alert) => (
    <p key={alert.id} className="notice" role="status" data-testid="endpoint-alert">
      <strong>Alert:</strong>{" "}
      {alertSummary(alert.kind as AlertKind, alert.subjectLabel, alert.details as Record<string, unknown>)}{" "}
      <span className="muted small">Since {timestamp(alert.openedAt)}; owners and admins were emailed.</span>
    </p>
  ));
}
