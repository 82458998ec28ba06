import Link from "next/link";
import { timestamp, type Replay } from "@/components/tables";

export const pageSize = 20;

type Attempt = {
  attemptedAt: Date;
  httpStatus: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
};
type MessageRow = {
  id: string;
  messageId: string;
  type: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  payload: unknown;
  attemptLog: Attempt[];
};

/** What the message is about, from its payload: the trigger's name, or the contact's email. */
function subject(payload: unknown): string | null {
  if (typeof payload !== "object" || payload === null) return null;
  const { trigger, contact } = payload as { trigger?: { name?: unknown }; contact?: { email?: unknown } };
  const parts = [trigger?.name, contact?.email].filter((part): part is string => typeof part === "string");
  return parts.length ? parts.join(" · ") : null;
}

/** Pending with a failed attempt behind it: it is waiting for its next try. */
const shownStatus = (message: MessageRow) => (message.status === "pending" && message.attempts > 0 ? "retrying" : message.status);

/**
 * A destination's messages, newest first, `pageSize` a page (one more is read to know whether
 * there is an older page), each with every attempt made at it.
 */
export function MessageLog({
  messages,
  destinationId,
  status,
  paged,
  retry,
}: {
  messages: MessageRow[];
  destinationId: string;
  status?: string;
  paged: boolean;
  retry: Replay;
}) {
  const shown = messages.slice(0, pageSize);
  const last = shown.at(-1);
  const older = messages.length > pageSize && last ? `${last.createdAt.toISOString()}~${last.id}` : null;
  const query = (extra: Record<string, string>) =>
    `/destinations/${destinationId}?${new URLSearchParams({ ...(status ? { status } : {}), ...extra }).toString()}`;
  if (shown.length === 0) {
    return (
      <p className="empty">{status || paged ? "No messages here." : "No messages yet. They appear as trigger events fire."}</p>
    );
  }
  return (
    <>
      <ol className="messages">
        {shown.map((message) => (
          <li key={message.id} className="message" data-testid="message-row">
            <div className="spread">
              <div>
                <span className={`badge ${shownStatus(message)}`}>{shownStatus(message)}</span> <strong>{message.type}</strong>{" "}
                {subject(message.payload)} <span className="muted small">{message.messageId}</span>
              </div>
              {message.status !== "delivered" && (
                <form action={retry.action}>
                  <input type="hidden" name="messageId" value={message.id} />
                  <input type="hidden" name="back" value={retry.returnTo} />
                  <button type="submit" className="secondary">
                    Retry now
                  </button>
                </form>
              )}
            </div>
            <p className="muted small">
              Created {timestamp(message.createdAt)}
              {message.status === "pending" && <> · next attempt {timestamp(message.nextAttemptAt)}</>}
            </p>
            {message.attemptLog.length > 0 && (
              <table className="attempts">
                <thead>
                  <tr>
                    <th scope="col">Attempt</th>
                    <th scope="col">HTTP status</th>
                    <th scope="col">Latency</th>
                    <th scope="col">Answer or error</th>
                  </tr>
                </thead>
                <tbody>
                  {message.attemptLog.map((attempt, index) => (
                    <tr key={index} data-testid="attempt-row">
                      <td>{timestamp(attempt.attemptedAt)}</td>
                      <td>{attempt.httpStatus ?? "none"}</td>
                      <td>{attempt.latencyMs} ms</td>
                      <td>
                        {attempt.error && <div className="error">{attempt.error}</div>}
                        {attempt.responseExcerpt && <pre className="answer">{attempt.responseExcerpt}</pre>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </li>
        ))}
      </ol>
      <div className="row toolbar">
        {paged && (
          <Link href={query({})} className="button secondary">
            Newest
          </Link>
        )}
        {older && (
          <Link href={query({ before: older })} className="button secondary">
            Older messages
          </Link>
        )}
      </div>
    </>
  );
}
