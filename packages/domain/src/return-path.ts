const origin = "http://return-path.invalid";

/**
 * The dashboard page a form asks to come back to (`/endpoints/ep_…?status=failed`), or undefined
 * when it could lead anywhere else. Browsers read `//host` and `/\host` as another site, ignore
 * tabs and line breaks inside a URL, and a server along the way may decode `%2F` into `/`, so
 * only a path that starts with a single slash and has none of these is taken; what comes back is
 * its normalised path and query, never a scheme, host or fragment.
 */
export function returnPath(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > 2048) return undefined;
  if (!value.startsWith("/") || value.startsWith("//")) return undefined;
  // Backslashes, control characters and whitespace have no place in a path the dashboard links to.
  if (/[\\\s\p{Cc}]/u.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return undefined;
  }
  if (url.origin !== origin || /%(2f|5c)/i.test(url.pathname)) return undefined;
  return `${url.pathname}${url.search}`;
}
