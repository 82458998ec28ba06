/**
 * The audit log's vocabulary: every action it records, by a stable dotted name (`entity.verb`),
 * with the words the Settings page shows; who acted; and the rule that keeps secrets out of an
 * entry's details.
 */
export const auditActions = {
  "endpoint.created": "Created an endpoint",
  "endpoint.settings_changed": "Changed an endpoint's events and settings",
  "endpoint.enabled": "Resumed an endpoint",
  "endpoint.disabled": "Paused an endpoint",
  "endpoint.secret_set": "Set an endpoint's signing secret",
  "endpoint.secret_rotated": "Rotated an endpoint's signing secret",
  "endpoint.renamed": "Renamed an endpoint",
  "endpoint.deleted": "Deleted an endpoint",
  "endpoint.stripe_connected": "Connected an endpoint's Stripe key",
  "endpoint.stripe_disconnected": "Removed an endpoint's Stripe key",
  "destination.created": "Created a destination",
  "destination.settings_changed": "Changed a destination's settings",
  "destination.secret_rotated": "Rotated a destination's signing secret",
  "destination.paused": "Paused a destination",
  "destination.resumed": "Resumed a destination",
  "destination.message_retried": "Retried a destination's message",
  "destination.failed_messages_retried": "Retried a destination's failed messages",
  "api_key.created": "Created an API key",
  "api_key.revoked": "Revoked an API key",
  "member.invited": "Invited someone",
  "member.joined": "Joined the workspace",
  "member.role_changed": "Changed a member's role",
  "member.removed": "Removed a member",
  "member.left": "Left the workspace",
  "contact.erased": "Erased a person",
  "import.started": "Started an import",
  "import.finished": "Finished an import",
} as const;

export type AuditAction = keyof typeof auditActions;

export const auditActionNames = Object.keys(auditActions) as AuditAction[];

export const isAuditAction = (value: string): value is AuditAction => Object.hasOwn(auditActions, value);

/** The kinds of thing the filter offers: the part of an action before its dot. */
export const auditActionKinds = {
  endpoint: "Endpoints",
  destination: "Destinations",
  api_key: "API keys",
  member: "Members and roles",
  contact: "Erasures",
  import: "Imports",
} as const;

export type AuditActionKind = keyof typeof auditActionKinds;

export const auditActionKindOf = (action: string): string => action.split(".", 1)[0] ?? action;

/**
 * Who made a change. A person signed in to the dashboard is their user id and email; a request to
 * the API names its key (core looks its name up); the admin CLI and Hookloop itself (the worker)
 * are named as such.
 */
export type AuditActor =
  | { kind: "user"; userId: string; email: string }
  | { kind: "api_key"; apiKeyId: string; name?: string }
  | { kind: "cli" }
  | { kind: "system" };

export const cliActor: AuditActor = { kind: "cli" };
export const systemActor: AuditActor = { kind: "system" };

/** What the log shows for an actor. */
export function auditActorLabel(actor: AuditActor): string {
  switch (actor.kind) {
    case "user":
      return actor.email;
    case "api_key":
      return `API key ${actor.name ?? actor.apiKeyId}`;
    case "cli":
      return "CLI";
    case "system":
      return "Hookloop";
  }
}

export const auditActorId = (actor: AuditActor): string | null =>
  actor.kind === "user" ? actor.userId : actor.kind === "api_key" ? actor.apiKeyId : null;

/** Entries are kept this long; the worker deletes older ones once a day. */
export const AUDIT_RETENTION_DAYS = 400;

export const auditRetentionCutoff = (now: Date): Date => new Date(now.getTime() - AUDIT_RETENTION_DAYS * 24 * 60 * 60 * 1000);

/** A value an entry's details may hold: small, plain facts. */
export type AuditDetail = string | number | boolean | null | readonly AuditDetail[] | { readonly [key: string]: AuditDetail };
export type AuditDetails = { readonly [key: string]: AuditDetail };

/** Keys that name a secret: such a field is never recorded, whatever its value. */
const secretKey = /secret|password|token|ciphertext|hash|^key$|apikey|api_key$/i;
/**
 * Values holding one of Hookloop's secrets (Stripe's, a destination's, an API key): the prefix and
 * more than a key's listed prefix (`hl_live_` and 4 characters) shows.
 */
const secretValue = /(whsec_|hl_live_|sk_live_|sk_test_|rk_live_|rk_test_)[A-Za-z0-9+/=_-]{8,}/;

/**
 * Where in `details` something looks like a secret ("details.secret"), or null when nothing does.
 * recordAudit refuses an entry for which this is not null, so a careless caller fails loudly in
 * its tests instead of writing a secret to a table kept for a year.
 */
export function secretInAuditDetails(details: AuditDetail, path = "details"): string | null {
  if (typeof details === "string") return secretValue.test(details) ? path : null;
  if (details === null || typeof details !== "object") return null;
  if (Array.isArray(details)) {
    for (const [index, value] of (details as readonly AuditDetail[]).entries()) {
      const found = secretInAuditDetails(value, `${path}[${index}]`);
      if (found) return found;
    }
    return null;
  }
  for (const [key, value] of Object.entries(details as { readonly [key: string]: AuditDetail })) {
    // A yes or no, a count, or a last-4 (what the page shows of a secret anyway) gives nothing away.
    const revealing = typeof value === "string" || (value !== null && typeof value === "object");
    if (secretKey.test(key) && revealing && !/last4$/i.test(key)) return `${path}.${key}`;
    const found = secretInAuditDetails(value, `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

/**
 * A URL as the log keeps it: scheme, host and path. Credentials and the query are left out, since
 * a receiver's URL sometimes carries a token there.
 */
export function auditUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return "(not a URL)";
  }
}
