// What a paged, filtered list keeps in its URL, so a page can be linked: where the page starts (a
// cursor) and a range of UTC days. Anything that does not parse is simply left out.
import type { PagePosition } from "@hookloop/core";
import { z } from "zod";

/** The cursor a "next page" link carries: base64url of the last row's time and id. */
export const encodeCursor = (position: PagePosition) =>
  Buffer.from(JSON.stringify([position.at.toISOString(), position.id])).toString("base64url");

const cursorTuple = z.tuple([z.iso.datetime(), z.string().min(1).max(100)]);

/** A cursor from the URL, or undefined when it is not one this dashboard gave out. */
export const pageCursor = z
  .string()
  .max(300)
  .transform((value, context): PagePosition | typeof z.NEVER => {
    try {
      const [at, id] = cursorTuple.parse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
      return { at: new Date(at), id };
    } catch {
      context.addIssue({ code: "custom", message: "not a cursor" });
      return z.NEVER;
    }
  })
  .optional()
  .catch(undefined);

/** A day (YYYY-MM-DD) from a date input; empty or invalid is no day. */
export const day = z.iso.date().optional().catch(undefined);

/** From the start of `from` to the end of `to`, both UTC days and both optional. */
export function dayRange(from: string | undefined, to: string | undefined) {
  return {
    ...(from ? { from: new Date(`${from}T00:00:00Z`) } : {}),
    ...(to ? { before: new Date(new Date(`${to}T00:00:00Z`).getTime() + 86_400_000) } : {}),
  };
}

/** `path?query` with `values` set (undefined or empty leaves a key out). */
export function hrefWith(path: string, values: Record<string, string | undefined>) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) query.set(key, value);
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}
