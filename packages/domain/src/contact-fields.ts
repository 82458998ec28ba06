import { createHash } from "node:crypto";

/** Emails are matched case-insensitively: stored trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const plausibleEmail = /^[^\s@]+@[^\s@]+$/;

export function isPlausibleEmail(email: string): boolean {
  return plausibleEmail.test(email);
}

/** "Ada King Lovelace" → first "Ada", last "King Lovelace"; a single word is a first name. */
export function splitFullName(fullName: string): { firstName: string | null; lastName: string | null } {
  const words = fullName.trim().split(/\s+/).filter(Boolean);
  const [first, ...rest] = words;
  return { firstName: first ?? null, lastName: rest.length ? rest.join(" ") : null };
}

/** What is kept of an erased email: enough to recognise it again, not to read it back. */
export function erasedEmailHash(workspaceId: string, email: string): string {
  return createHash("sha256")
    .update(`${workspaceId}:${normaliseEmail(email)}`)
    .digest("hex");
}
