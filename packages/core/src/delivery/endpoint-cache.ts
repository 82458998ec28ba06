// Ingest reads an endpoint's settings on every request; a short-lived cache keeps that off the
// database. A cached entry only ever speeds up a "yes": any refusal it would cause (signature
// mismatch, event not enabled) is re-checked against the database before it is answered, a
// signature mismatch at most once every few seconds per endpoint (`recheck`).
import type { DbClient } from "@hookloop/db/client";
import type { EndpointSettings } from "@hookloop/domain";
import type { SecretBox } from "@hookloop/secrets";
import { z } from "zod";
import { activeSigningSecrets } from "../endpoint/endpoint-secrets";

export type IngestEndpoint = {
  id: string;
  workspaceId: string;
  secrets: string[];
  settings: EndpointSettings;
  /** When the soonest of its secrets stops being valid, which ends the cache entry too. */
  validUntil: number;
};

/** What hookloop_ingest_endpoint returns: the endpoint, or null when the URL names no enabled one. */
const storedEndpointSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    secretCiphertext: z.string().nullable(),
    previousSecretCiphertext: z.string().nullable(),
    previousSecretExpiresAt: z.iso
      .datetime({ offset: true })
      .nullable()
      .transform((at) => (at === null ? null : new Date(at))),
    syncNames: z.boolean(),
    onCustomerDeleted: z.enum(["delete", "unsubscribe"]),
    events: z.array(z.object({ eventType: z.string(), enabled: z.boolean(), triggerName: z.string().nullable() })),
  })
  .nullable();

export type EndpointCache = {
  get: (endpointId: string, options?: { fresh?: boolean }) => Promise<IngestEndpoint | null>;
  /**
   * A fresh read for a refusal anyone can cause (a bad signature): at most one per endpoint per
   * `recheckIntervalMs`. Within that, callers share the last such read, or a newer entry.
   */
  recheck: (endpointId: string) => Promise<IngestEndpoint | null>;
  /** Whether this id named an enabled endpoint when last read, however long ago: no database work. */
  knows: (endpointId: string) => boolean;
};

export type EndpointCacheOptions = {
  /** Opens the endpoints' signing secrets. */
  box: SecretBox;
  /** How long an entry is trusted. */
  ttlMs?: number;
  /**
   * How often a bad signature may send ingest back to the database for an endpoint. Its reason to
   * exist is a secret rotated since the entry was read, so right after a rotation Stripe's events
   * may be refused for up to this long (and retried by Stripe); a stranger posting bad signatures
   * costs one read per interval instead of one per request.
   */
  recheckIntervalMs?: number;
};

/** Bounds both maps: beyond it the oldest entry goes. */
const maxEntries = 10_000;

/** Any client, not a WorkspaceTx: the tenant is not known until the endpoint is read. */
export function createEndpointCache(db: DbClient, options: EndpointCacheOptions): EndpointCache {
  const { box, ttlMs = 5_000, recheckIntervalMs = 2_000 } = options;
  const entries = new Map<string, IngestEndpoint>();
  const rechecks = new Map<string, { at: number; read: Promise<IngestEndpoint | null> }>();

  async function load(endpointId: string): Promise<IngestEndpoint | null> {
    // Through a database function: before the tenant is known, row-level security lets ingest
    // read the one endpoint its URL names and nothing else.
    const rows = await db.$queryRaw<Array<{ endpoint: unknown }>>`
      SELECT hookloop_ingest_endpoint(${endpointId}) AS endpoint`;
    const endpoint = storedEndpointSchema.parse(rows[0]?.endpoint ?? null);
    if (!endpoint) return null;
    const now = Date.now();
    const expiry = endpoint.previousSecretExpiresAt?.getTime();
    return {
      id: endpoint.id,
      workspaceId: endpoint.workspaceId,
      secrets: activeSigningSecrets(endpoint, box, new Date(now)),
      settings: { syncNames: endpoint.syncNames, onCustomerDeleted: endpoint.onCustomerDeleted, events: endpoint.events },
      validUntil: Math.min(now + ttlMs, expiry && expiry > now ? expiry : Number.POSITIVE_INFINITY),
    };
  }

  async function read(endpointId: string): Promise<IngestEndpoint | null> {
    const loaded = await load(endpointId);
    if (loaded) entries.set(endpointId, loaded);
    else entries.delete(endpointId);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    return loaded;
  }

  return {
    async get(endpointId, options) {
      const cached = entries.get(endpointId);
      if (cached && !options?.fresh && cached.validUntil > Date.now()) return cached;
      return read(endpointId);
    },
    async recheck(endpointId) {
      const now = Date.now();
      const last = rechecks.get(endpointId);
      if (last && now - last.at < recheckIntervalMs) {
        const answer = await last.read;
        return entries.get(endpointId) ?? answer;
      }
      const fresh = read(endpointId);
      rechecks.delete(endpointId);
      rechecks.set(endpointId, { at: now, read: fresh });
      if (rechecks.size > maxEntries) rechecks.delete(rechecks.keys().next().value!);
      return fresh;
    },
    knows: (endpointId) => entries.has(endpointId),
  };
}
