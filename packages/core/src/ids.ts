import { NotFoundError } from "./errors";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id from a URL or a form that cannot name a row is simply not found, like one that names another workspace's. */
export function requireUuid(id: string, entity: string): void {
  if (!uuid.test(id)) throw new NotFoundError(entity);
}
