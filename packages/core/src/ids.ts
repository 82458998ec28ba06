import { NotFoundError } from "./errors";

/** What createEndpoint makes: `ep_` and 144 random bits, base64url; the ids ingest and the dashboard accept. */
export const endpointIdPattern = /^ep_[A-Za-z0-9_-]{16,64}$/;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id from a URL or a form that cannot name a row is simply not found, like one that names another workspace's. */
export function requireUuid(id: string, entity: string): void {
  if (!uuid.test(id)) throw new NotFoundError(entity);
}
