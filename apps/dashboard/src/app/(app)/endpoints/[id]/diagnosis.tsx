// Why events to this endpoint fail, said plainly: the requests ingest refused before reading them
// (counted per cause and hour, bodies never kept), when the last event arrived, and a
// troubleshooting table mapping each cause Hookloop can see to its fix.
import { getEndpointDiagnosis, type RefusalTally } from "@hookloop/core";
import { QUIET_ENDPOINT_DAYS, refusalCauses, refusalExplanations } from "@hookloop/domain";
import type { WorkspaceContext } from "@/server/action";
import { timestamp } from "@/components/tables";

const requests = (count: number) => `${count.toLocaleString("en-US")} request${count === 1 ? "" : "s"}`;
const utcHour = (date: Date) => `${date.toISOString().slice(11, 16)} UTC`;

function Finding({ tally, since }: { tally: RefusalTally; since: Date }) {
  const explanation = refusalExplanations[tally.cause];
  return (
    <div className="finding" data-testid={`refusal-${tally.cause}`}>
      <p>
        <strong>
          {requests(tally.recent)} since {utcHour(since)} {explanation.what}
        </strong>
        : {explanation.likely}.
      </p>
      <p className="small">
        <strong>Fix:</strong> {explanation.fix}
      </p>
    </div>
  );
}

export async function Diagnosis({
  endpointId,
  workspaceId,
  inWorkspace,
}: {
  endpointId: string;
  workspaceId: string;
  inWorkspace: WorkspaceContext["inWorkspace"];
}) {
  const diagnosis = await inWorkspace((tx) => getEndpointDiagnosis(tx, { workspaceId, endpointId }));
  const recent = diagnosis.refusals.filter((tally) => tally.recent > 0);
  return (
    <>
      <section className="panel" aria-labelledby="diagnosis" data-testid="diagnosis">
        <h2 id="diagnosis">Why events fail</h2>
        <p data-testid="last-event">
          {diagnosis.lastEventAt ? (
            <>
              Last event received: <strong>{timestamp(diagnosis.lastEventAt)}</strong>.
            </>
          ) : (
            "No event has been received at this URL yet."
          )}
        </p>
        {diagnosis.quiet && (
          <p className="notice" role="status">
            No events for {QUIET_ENDPOINT_DAYS} days. In Stripe, open the <strong>Webhooks</strong> page (Developers, then
            Webhooks) and check that an endpoint with this URL exists, is enabled (Stripe disables one after days of failed
            deliveries) and has events selected, in the mode (test or live) your customers use.
          </p>
        )}
        {recent.length > 0 && (
          <div role="alert">
            {recent.map((tally) => (
              <Finding key={tally.cause} tally={tally} since={diagnosis.recentSince} />
            ))}
          </div>
        )}
        {diagnosis.refusals.length === 0 ? (
          <p className="muted">No request to this URL was refused in the last {QUIET_ENDPOINT_DAYS} days.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Refused because they…</th>
                <th className="amount">Since {utcHour(diagnosis.recentSince)}</th>
                <th className="amount">Last {QUIET_ENDPOINT_DAYS} days</th>
                <th>Latest</th>
              </tr>
            </thead>
            <tbody>
              {diagnosis.refusals.map((tally) => (
                <tr key={tally.cause} data-testid="refusal-row">
                  <td>{refusalExplanations[tally.cause].what}</td>
                  <td className="amount">{tally.recent.toLocaleString("en-US")}</td>
                  <td className="amount">{tally.week.toLocaleString("en-US")}</td>
                  <td>{timestamp(tally.lastAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="muted small">
          Requests refused before Hookloop reads them are counted here within a few seconds, per cause and hour; their bodies are
          never kept. Stripe answers each refusal by retrying the event for up to 3 days.
        </p>
      </section>

      <section className="panel" aria-labelledby="troubleshooting">
        <h2 id="troubleshooting">Troubleshooting</h2>
        <table>
          <thead>
            <tr>
              <th>What you see</th>
              <th>Likely cause</th>
              <th>Fix</th>
            </tr>
          </thead>
          <tbody>
            {refusalCauses.map((cause) => (
              <tr key={cause} data-testid="troubleshooting-row">
                <td>Requests that {refusalExplanations[cause].what}</td>
                <td>{refusalExplanations[cause].likely}</td>
                <td>{refusalExplanations[cause].fix}</td>
              </tr>
            ))}
            <tr>
              <td>Stripe shows 404 for this URL</td>
              <td>The endpoint is paused or deleted here, or the URL in Stripe is mistyped</td>
              <td>Resume the endpoint, or paste the URL above into Stripe again.</td>
            </tr>
            <tr>
              <td>Deliveries listed as ignored</td>
              <td>Stripe sends an event this endpoint does not accept</td>
              <td>Turn the event on under “Choose events” (or stop selecting it in Stripe); a replay then applies it.</td>
            </tr>
            <tr>
              <td>No events for {QUIET_ENDPOINT_DAYS} days</td>
              <td>Stripe sends nothing here: the endpoint is missing or disabled in Stripe, or it is in the other mode</td>
              <td>
                In Stripe, open the <strong>Webhooks</strong> page (Developers, then Webhooks): check the URL, that it is enabled
                and which events it sends.
              </td>
            </tr>
          </tbody>
        </table>
      </section>
    </>
  );
}
