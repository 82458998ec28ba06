import Link from "next/link";
import { listContactPlans, listContacts } from "@hookloop/core";
import { formatMinorUnits } from "@hookloop/domain";
import { requireWorkspace } from "@/server/session";
import { SubscriptionBadge, statusLabel } from "@/components/billing";
import { audienceFilter, audienceQuery, filterQueryString, statusChoices } from "./audience-query";

export default async function AudiencePage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const query = audienceQuery.parse(await searchParams);
  const { q, status, plan, after } = query;
  const { workspace, inWorkspace } = await requireWorkspace();
  const [page, plans] = await inWorkspace(async (tx) => [
    await listContacts(tx, { workspaceId: workspace.id, ...audienceFilter(query), after, limit: 50 }),
    await listContactPlans(tx, { workspaceId: workspace.id }),
  ]);
  const filtered = Boolean(q || status || plan);
  const next = page.nextCursor ? `/audience${filterQueryString(query, { after: page.nextCursor })}` : null;
  const matching = [
    status && `status “${statusLabel(status === "none" ? null : status)}”`,
    plan && `plan “${plan}”`,
    q && `“${q}”`,
  ].filter(Boolean);
  return (
    <>
      <div className="spread">
        <h1>Audience</h1>
        <a className="button secondary" href={`/audience/export${filterQueryString(query)}`}>
          Export CSV
        </a>
      </div>
      <form method="get" className="row toolbar" role="search">
        <label htmlFor="q" className="muted">
          Search
        </label>
        <input id="q" name="q" type="search" defaultValue={q} placeholder="Email or name" className="grow" />
        <label htmlFor="status" className="muted">
          Status
        </label>
        <select id="status" name="status" defaultValue={status ?? ""}>
          <option value="">Any status</option>
          {statusChoices.map((choice) => (
            <option key={choice} value={choice}>
              {statusLabel(choice)}
            </option>
          ))}
        </select>
        <label htmlFor="plan" className="muted">
          Plan
        </label>
        <select id="plan" name="plan" defaultValue={plan ?? ""}>
          <option value="">Any plan</option>
          {/* A plan named in the URL that no contact has any more still shows as chosen. */}
          {[...new Set([...plans, ...(plan ? [plan] : [])])].map((choice) => (
            <option key={choice} value={choice}>
              {choice}
            </option>
          ))}
        </select>
        <button type="submit">Search</button>
        {filtered && <Link href="/audience">Clear</Link>}
      </form>
      <div className="panel">
        {page.contacts.length === 0 ? (
          <p className="empty">
            {filtered
              ? `No contact matches ${matching.join(" and ")}.`
              : "No contacts yet. They appear as Stripe sends customer, invoice and checkout events."}
          </p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Email</th>
                <th>Name</th>
                <th>Subscribed</th>
                <th>Status</th>
                <th>Plan</th>
                <th className="amount">MRR</th>
                <th>Source</th>
                <th>Created</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {page.contacts.map((contact) => (
                <tr key={contact.id} data-testid="contact-row">
                  <td>
                    <Link href={`/audience/${contact.id}`}>{contact.email}</Link>
                  </td>
                  <td>{[contact.firstName, contact.lastName].filter(Boolean).join(" ") || "—"}</td>
                  <td>
                    <span className={`badge ${contact.subscribed ? "yes" : ""}`}>{contact.subscribed ? "Yes" : "No"}</span>
                  </td>
                  <td>
                    <SubscriptionBadge status={contact.billing.subscriptionStatus} />
                  </td>
                  <td>{contact.billing.plan ?? "—"}</td>
                  <td className="amount">
                    {contact.billing.currency && (contact.billing.subscriptionStatus || contact.billing.mrr)
                      ? formatMinorUnits(contact.billing.mrr, contact.billing.currency)
                      : "—"}
                  </td>
                  <td>{contact.source}</td>
                  <td>{contact.createdAt.toISOString().slice(0, 10)}</td>
                  <td>{contact.updatedAt.toISOString().slice(0, 10)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="spread">
        {after ? <Link href={`/audience${filterQueryString(query)}`}>First page</Link> : <span />}
        {next && <Link href={next}>Next page →</Link>}
      </div>
    </>
  );
}
