import Link from "next/link";
import { listAuditEntries } from "@hookloop/core";
import { auditActionKinds, auditActions, isAuditAction, managesWorkspace } from "@hookloop/domain";
import { timestamp } from "@/components/tables";
import { requireWorkspace } from "@/server/session";
import { auditFilters, auditQuery, cursorOf, filtersSearch } from "./audit-filters";

// Who changed what and when. Owners and admins read it, as they are the ones who change what it
// records; members are told so.
export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const query = auditQuery.parse(await searchParams);
  const { workspace, role, inWorkspace } = await requireWorkspace();
  if (!managesWorkspace(role)) {
    return (
      <>
        <h1>Audit log</h1>
        <p className="empty">Only the workspace&apos;s owners and admins can read the audit log.</p>
      </>
    );
  }
  const page = await inWorkspace((tx) => listAuditEntries(tx, { workspaceId: workspace.id, limit: 50, ...auditFilters(query) }));
  const filtered = Boolean(query.kind || query.actor || query.from || query.to);
  const next = page.next ? `/settings/audit${filtersSearch(query, { after: cursorOf(page.next) })}` : null;
  return (
    <>
      <div className="spread">
        <h1>Audit log</h1>
        <a className="button secondary" href={`/settings/audit/export${filtersSearch(query)}`}>
          Export CSV
        </a>
      </div>
      <p className="muted">
        Who changed what in {workspace.name}, newest first: endpoints, signing secrets, event settings, destinations, API keys,
        members and roles, erasures and imports. Entries are kept 400 days.
      </p>
      <form method="get" className="row toolbar" role="search" aria-label="Filter the audit log">
        <label htmlFor="kind" className="muted">
          Kind
        </label>
        <select id="kind" name="kind" defaultValue={query.kind ?? ""}>
          <option value="">All changes</option>
          {Object.entries(auditActionKinds).map(([kind, label]) => (
            <option key={kind} value={kind}>
              {label}
            </option>
          ))}
        </select>
        <label htmlFor="actor" className="muted">
          By
        </label>
        <input id="actor" name="actor" type="search" defaultValue={query.actor} placeholder="Email, API key or CLI" />
        <label htmlFor="from" className="muted">
          From
        </label>
        <input id="from" name="from" type="date" defaultValue={query.from} />
        <label htmlFor="to" className="muted">
          To
        </label>
        <input id="to" name="to" type="date" defaultValue={query.to} />
        <button type="submit">Filter</button>
        {filtered && <Link href="/settings/audit">Clear</Link>}
      </form>
      <div className="panel">
        {page.rows.length === 0 ? (
          <p className="empty">{filtered ? "No change matches these filters." : "No changes recorded yet."}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>When (UTC)</th>
                <th>Who</th>
                <th>What</th>
                <th>On</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((entry) => (
                <tr key={entry.id} data-testid="audit-row">
                  <td>{timestamp(entry.createdAt)}</td>
                  <td>{entry.actorLabel}</td>
                  <td>
                    {isAuditAction(entry.action) ? auditActions[entry.action] : entry.action}
                    <br />
                    <code className="small">{entry.action}</code>
                  </td>
                  <td>
                    {entry.targetLabel ?? entry.targetId}
                    <br />
                    <span className="muted small">
                      {entry.targetType.replace("_", " ")} <code>{entry.targetId}</code>
                    </span>
                  </td>
                  <td>{Object.keys(entry.details as object).length ? <code>{JSON.stringify(entry.details)}</code> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="spread">
        {query.after ? <Link href={`/settings/audit${filtersSearch(query)}`}>First page</Link> : <span />}
        {next && <Link href={next}>Next page →</Link>}
      </div>
    </>
  );
}
