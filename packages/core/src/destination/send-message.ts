import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { attemptOutcome, type AttemptOutcome, type DestinationUrlRules } from "@hookloop/domain";
import { resolveDestinationTarget, type DestinationTarget } from "./resolve-destination-target";
import { signMessage, type SignedMessageHeaders } from "./sign-message";

/** The whole attempt — DNS, connection, TLS, request and answer — gets this long. */
export const sendTimeoutMs = 15_000;
/** How much of an answer's body an attempt keeps. */
export const answerBytesKept = 1024;

export type SendMessageOptions = DestinationUrlRules & {
  url: string;
  messageId: string;
  /** The JSON body, serialised once and sent as it is on every attempt. */
  body: string;
  /** The current secret first, then one still rotating out. */
  secrets: readonly string[];
  timeoutMs?: number;
};

/** One attempt, as the message log shows it. */
export type SendAttempt = {
  attemptedAt: Date;
  /** From the start of the attempt (DNS included) to the receiver's status line, or to the failure. */
  latencyMs: number;
  /** Null when no HTTP answer came. */
  status: number | null;
  /** The first 1 KB of the answer as text; null when no answer came. */
  responseBody: string | null;
  /** What went wrong, in plain words: a network error, a refused address, a redirect not followed. */
  error: string | null;
  outcome: AttemptOutcome;
};

type Exchange =
  | { kind: "answer"; response: IncomingMessage; latencyMs: number; body: Buffer; error: string | null }
  | { kind: "failure"; error: string };

/**
 * POSTs one signed message to a destination. Nothing throws: every way an attempt can end is an
 * attempt to record. Redirects are not followed, and the connection goes only to the addresses
 * checked a moment before (see resolveDestinationTarget).
 */
export async function sendMessage(options: SendMessageOptions): Promise<SendAttempt> {
  const timeoutMs = options.timeoutMs ?? sendTimeoutMs;
  const attemptedAt = new Date();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const timedOut = `timed out after ${timeoutMs / 1000} s`;
  const failed = (error: string): SendAttempt => ({
    attemptedAt,
    latencyMs: elapsed(),
    status: null,
    responseBody: null,
    error,
    outcome: attemptOutcome(null),
  });

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  try {
    const target = await Promise.race([
      resolveDestinationTarget(options.url, options),
      new Promise<"timed out">((resolve) => deadline.signal.addEventListener("abort", () => resolve("timed out"))),
    ]);
    if (target === "timed out") return failed(timedOut);
    if (!target.ok) return failed(target.message);

    const headers = signMessage({ id: options.messageId, body: options.body, secrets: options.secrets, timestamp: attemptedAt });
    const exchange = await post(target, headers, options.body, deadline.signal, elapsed, timedOut);
    if (exchange.kind === "failure") return failed(exchange.error);

    const { statusCode = 0, headers: answerHeaders } = exchange.response;
    const location = answerHeaders.location;
    const redirect =
      statusCode >= 300 && statusCode < 400
        ? `redirect not followed: ${statusCode}${location ? ` to ${location.slice(0, 200)}` : ""}`
        : null;
    return {
      attemptedAt,
      latencyMs: exchange.latencyMs,
      status: statusCode,
      responseBody: answerText(exchange.body, answerHeaders["content-type"]),
      error: redirect ?? exchange.error,
      outcome: attemptOutcome(statusCode),
    };
  } finally {
    clearTimeout(timer);
  }
}

function post(
  target: Extract<DestinationTarget, { ok: true }>,
  signed: SignedMessageHeaders,
  body: string,
  signal: AbortSignal,
  elapsed: () => number,
  timedOut: string,
): Promise<Exchange> {
  return new Promise((resolve) => {
    // Hands the connection the addresses already checked instead of asking DNS again.
    const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
      if (lookupOptions.all) return callback(null, target.addresses);
      const [first] = target.addresses;
      return callback(null, first!.address, first!.family);
    };
    const send = target.url.protocol === "https:" ? httpsRequest : httpRequest;
    const request = send({
      hostname: target.hostname,
      port: target.url.port || undefined,
      path: `${target.url.pathname}${target.url.search}`,
      method: "POST",
      headers: {
        ...signed,
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        "user-agent": "Hookloop",
      },
      lookup,
      agent: false,
      signal,
    });

    let answered = false;
    request.on("error", (error) => {
      // Once an answer has begun, its own handlers say how it ended.
      if (answered) return;
      resolve({ kind: "failure", error: signal.aborted ? timedOut : describeNetworkError(error, target.hostname) });
    });
    request.on("response", (response) => {
      answered = true;
      const latencyMs = elapsed();
      const chunks: Buffer[] = [];
      let received = 0;
      const finish = (error: string | null) => {
        resolve({ kind: "answer", response, latencyMs, body: Buffer.concat(chunks).subarray(0, answerBytesKept), error });
        response.destroy();
      };
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.length;
        if (received >= answerBytesKept) finish(null);
      });
      const cutShort = () =>
        finish(signal.aborted ? `${timedOut} while reading the answer` : "the connection closed before the answer ended");
      response.on("end", () => finish(null));
      response.on("error", cutShort);
      response.on("close", () => (response.complete ? finish(null) : cutShort()));
    });
    request.end(body);
  });
}

const certificateProblems: Record<string, (host: string) => string> = {
  CERT_HAS_EXPIRED: () => "it has expired",
  CERT_NOT_YET_VALID: () => "it is not valid yet",
  CERT_REVOKED: () => "it was revoked",
  DEPTH_ZERO_SELF_SIGNED_CERT: () => "it is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: () => "its chain ends in a self-signed certificate",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: () => "no trusted authority vouches for it (is the chain complete?)",
  UNABLE_TO_GET_ISSUER_CERT: () => "its issuer is unknown",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: () => "its issuer is unknown",
  ERR_TLS_CERT_ALTNAME_INVALID: (host) => `it is not valid for ${host}`,
};

/** A network error in words a destination's owner can act on. */
export function describeNetworkError(error: Error, host: string): string {
  // With several addresses, Node tries each and reports them together.
  const first = error instanceof AggregateError && error.errors[0] instanceof Error ? error.errors[0] : error;
  const code = (first as NodeJS.ErrnoException).code ?? "";
  const certificate = certificateProblems[code];
  if (certificate) return `TLS certificate invalid: ${certificate(host)}`;
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ECONNRESET":
    case "EPIPE":
      return first.message === "socket hang up" ? "the receiver closed the connection without answering" : "connection reset";
    case "ETIMEDOUT":
      return "connection timed out";
    case "EHOSTUNREACH":
      return "host unreachable";
    case "ENETUNREACH":
      return "network unreachable";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `DNS lookup failed for ${host}`;
  }
  if (code.startsWith("HPE_")) return "the answer was not valid HTTP";
  if (code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_") || /ssl|tls/i.test(first.message)) {
    return `TLS handshake failed (${code || first.message})`;
  }
  return `network error: ${code || first.message}`;
}

const keptControls = new Set(["\t", "\n", "\r"]);

/** Decodes the kept bytes in the answer's charset (UTF-8 unless it names another), never failing. */
function answerText(bytes: Buffer, contentType: string | undefined): string {
  const charset = /charset="?([^";\s]+)/i.exec(contentType ?? "")?.[1];
  const decoder = (() => {
    try {
      return new TextDecoder(charset ?? "utf-8");
    } catch {
      return new TextDecoder("utf-8");
    }
  })();
  // `stream: true` leaves out a character cut in two at the 1 KB mark instead of mangling it.
  // Control characters other than tab and line breaks (a NUL above all, which Postgres cannot store)
  // show as a replacement character.
  return decoder
    .decode(bytes, { stream: true })
    .replace(/\p{Cc}/gu, (character) => (keptControls.has(character) ? character : "\uFFFD"));
}
