import Link from "next/link";
import { listContacts } from "@hookloop/core";
import { z } from "zod";
import { requireWorkspace } from "@/server/session";

const query = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  after: z.uuid().optional().catch(undefined),
});

export default async function AudiencePage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { q, after } = query.parse(await searchParams);
  const { workspace, inWorkspace } = await requireWorkspace();
  const page = await inWorkspace((tx) => listContacts(tx, { workspaceId: workspace.id, search: q, after, limit: 50 }));
  const next = page.nextCursor ? `/audience?${new URLSearchParams({ ...(q ? { q } : {}), after: page.nextCursor })}` : null;
  return (
    <>
      <div className="spread">
        <h1>Audience</h1>
        <a className="button secondary" href={`/audience/export${q ? `?q=${encodeURIComponent(q)}` : ""}`}>
          Export CSV
        </a>
      </div>
      <form method="get" className="row toolbar" role="search">
        <label htmlFor="q" className="muted">
          Search
        </label>
        <input id="q" name="q" type="search" defaultValue={q} placeholder="Email or name" className="grow" />
        <button type="submit">Search</button>
      </form>
      <div className="panel">
        {page.contacts.length === 0 ? (
          <p className="empty">
            {q
              ? `No contact matches “${q}”.`
              : "No contacts yet. They appear as Stripe sends customer, invoice and checkout events."}
          </p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Email</th>
                <th>Name</th>
                <th>Subscribed</th>
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
        {after ? <Link href={q ? `/audience?q=${encodeURIComponent(q)}` : "/audience"}>First page</Link> : <span />}
        {next && <Link href={next}>Next page →</Link>}
      </div>
    </>
  );
}
