// Every page, route and server action passes through here (Next's own static files do not; the
// headers that need no request are in next.config.ts). Mutations that did not come from one of
// the dashboard's own pages are refused before anything runs, and each response gets a
// Content-Security-Policy with a nonce of its own: Next reads it from the request's copy of the
// header and puts it on every script it renders, which is why every page renders per request.
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/env";

const safeMethods = new Set(["GET", "HEAD"]);

/**
 * Browsers send Origin with every POST (Next's own check lets a request without one through);
 * where one is missing, Sec-Fetch-Site still says whether the request came from this origin.
 */
function fromDashboard(request: NextRequest, dashboardOrigin: string) {
  const origin = request.headers.get("origin");
  if (origin !== null) return origin === dashboardOrigin;
  return request.headers.get("sec-fetch-site") === "same-origin";
}

function contentSecurityPolicy(nonce: string, { development, https }: { development: boolean; https: boolean }) {
  return [
    "default-src 'self'",
    // 'strict-dynamic' lets the scripts Next renders with the nonce load its chunks; React uses eval in development only.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    // Recharts sizes its container with style attributes in the server's HTML; attributes cannot run script.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const settings = env();
  const dashboard = new URL(settings.DASHBOARD_URL);
  // better-auth checks its own routes: one carrying cookies is refused unless its Origin (or,
  // without one, its Referer) is the dashboard's.
  const authRoute = request.nextUrl.pathname.startsWith("/api/auth/");
  if (!safeMethods.has(request.method) && !authRoute && !fromDashboard(request, dashboard.origin)) {
    return new NextResponse("Refused: this request did not come from a page of the Hookloop dashboard.\n", {
      status: 403,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  }

  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const https = dashboard.protocol === "https:";
  const policy = contentSecurityPolicy(nonce, { development: settings.NODE_ENV === "development", https });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  // Nearly every page shows contacts, deliveries or secrets, and all are rendered per request
  // anyway: none is kept by a browser or a shared cache, so a new page cannot be forgotten.
  response.headers.set("cache-control", "private, no-store");
  // Browsers ignore HSTS over plain http; a production dashboard on https asks to stay there (its
  // own host only: the operator's other hosts under the same domain are not the dashboard's to pin).
  if (https && settings.NODE_ENV === "production") {
    response.headers.set("strict-transport-security", "max-age=31536000");
  }
  return response;
}

export const config = {
  // Not for the build's static files, so they keep their long caching; prefetches included, so
  // no request header steers a request past the origin check.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
