// The dashboard's production entry: Next's standalone server, with the client's address settled
// before Next sees a request. Next passes on an X-Forwarded-For the client wrote itself (it fills
// one in only when absent) and better-auth's rate limits key on it, so each request's header is
// rewritten here from the socket's peer and the trusted proxies (TRUSTED_PROXIES) alone.
// Built by scripts/build.mjs into .next/standalone/apps/dashboard/serve.mjs, beside server.js.
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import { clientAddress } from "@hookloop/accounts/client-address";
import { env } from "./env";

const settings = env();
if (!settings.SMTP_URL)
  console.warn("SMTP_URL is not set: account emails (confirmations, invitations, password resets) are written to this log.");

// Published by node:http for every request, before its "request" event reaches Next's handler.
subscribe("http.server.request.start", (message) => {
  const { request } = message as { request: IncomingMessage };
  const forwarded = request.headers["x-forwarded-for"];
  request.headers["x-forwarded-for"] = clientAddress(
    request.socket.remoteAddress ?? "",
    Array.isArray(forwarded) ? forwarded.join(",") : forwarded,
    settings.TRUSTED_PROXIES,
  );
});

// @ts-expect-error Next's generated standalone server, beside this file once built; it has no types.
await import("./server.js");
