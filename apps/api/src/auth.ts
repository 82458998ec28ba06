import { authenticateApiKey, type ApiKeyIdentity } from "@hookloop/core";
import type { Db } from "@hookloop/db/client";
import type { FastifyRequest } from "fastify";
import { ApiError } from "./api-error";

declare module "fastify" {
  interface FastifyRequest {
    /** The key the request was made with; set by `authenticate` for every route under /v1 but the document. */
    apiKey: ApiKeyIdentity | null;
  }
}

const bearer = /^Bearer ([^\s]+)$/i;

/**
 * 401 for a missing, unknown or revoked key (one message for the last two, so the answer does
 * not say whether a key ever existed); the request's workspace is the key's from here on.
 */
export async function authenticate(db: Db, request: FastifyRequest): Promise<ApiKeyIdentity> {
  const header = request.headers.authorization;
  const key = header ? bearer.exec(header)?.[1] : undefined;
  if (!key) {
    throw new ApiError(401, "unauthorized", "Send your API key as 'Authorization: Bearer hl_live_…'.");
  }
  const result = await authenticateApiKey(db, key);
  if (!result.ok) {
    request.log.info({ reason: result.reason }, "API key refused");
    throw new ApiError(401, "unauthorized", "This API key is not valid: it is unknown or was revoked.");
  }
  request.apiKey = result.identity;
  return result.identity;
}

/** The identity of a request past `authenticate`. */
export function identityOf(request: FastifyRequest): ApiKeyIdentity {
  if (!request.apiKey) throw new Error("route reached without an authenticated key");
  return request.apiKey;
}

const reads = new Set(["GET", "HEAD", "OPTIONS"]);

/** 403 for a read-only key on anything but a read. */
export function requireScope(identity: ApiKeyIdentity, method: string): void {
  if (identity.readOnly && !reads.has(method)) {
    throw new ApiError(403, "forbidden", "This API key is read-only; writes need a read-write key.");
  }
}
