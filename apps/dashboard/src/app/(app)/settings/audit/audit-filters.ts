import type { ListAuditEntriesOptions } from "@hookloop/core";
import { auditActionKinds } from "@hookloop/domain";
import { z } from "zod";

const day = /^\d{4}-\d{2}-\d{2}$/;
const kinds = Object.keys(auditActionKinds) as [keyof typeof auditActionKinds, ...(keyof typeof auditActionKinds)[]];

/**
 * The audit log's filters as the page's form and the export's link carry them: a kind of action,
 * part of the actor's name, and a range of whole UTC days (`to` included). Anything that does not
 * parse is simply no filter, as on the other list pages.
 */
export const auditQuery = z.object({
  kind: z.enum(kinds).optional().catch(undefined),
  actor: z.string().trim().max(200).optional().catch(undefined),
  from: z.string().regex(day).optional().catch(undefined),
  to: z.string().regex(day).optional().catch(undefined),
  /** The last entry of the page before: its time and id, as `2026-12-01T18:00:00.000Z~<uuid>`. */
  after: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z~[0-9a-f-]{36}$/i)
    .optional()
    .catch(undefined),
});

export type AuditQuery = z.output<typeof auditQuery>;

const dayStart = (value: string) => new Date(`${value}T00:00:00.000Z`);
const nextDay = (value: string) => new Date(dayStart(value).getTime() + 24 * 60 * 60 * 1000);

export function auditFilters(query: AuditQuery): Omit<ListAuditEntriesOptions, "workspaceId" | "limit"> {
  const [at, id] = query.after?.split("~") ?? [];
  const after = at && id && !Number.isNaN(Date.parse(at)) ? { at: new Date(at), id } : undefined;
  return {
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.actor ? { actor: query.actor } : {}),
    ...(query.from ? { from: dayStart(query.from) } : {}),
    ...(query.to ? { to: nextDay(query.to) } : {}),
    ...(after ? { after } : {}),
  };
}

export const cursorOf = (position: { at: Date; id: string }) => `${position.at.toISOString()}~${position.id}`;

/** The query string of the same filters, without the page position. */
export function filtersSearch(query: AuditQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of ["kind", "actor", "from", "to"] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}
