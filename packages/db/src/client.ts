// The one way apps get a database client. Importing this module opens nothing.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

export { Prisma } from "./generated/prisma/client";
export type * from "./generated/prisma/client";
export { DeliveryStatus, DeletionBehaviour } from "./generated/prisma/enums";

export type Db = PrismaClient;
/** A client or an open transaction: operations take this so callers can compose them. */
export type DbClient = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export type DatabaseOptions = {
  connectionString: string;
  /** Pool size. */
  max?: number;
  /** A query that gets no answer in this time fails, instead of hanging on a lost server. */
  queryTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /**
   * The role every connection switches to, so row-level security applies even when the URL's
   * user owns the tables (services use `hookloop_app`; migrations and operators use none).
   */
  role?: string;
};

export function createDb(options: DatabaseOptions): Db {
  const adapter = new PrismaPg({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 2_000,
    query_timeout: options.queryTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    ...(options.role ? { options: `-c role=${options.role}` } : {}),
  });
  return new PrismaClient({ adapter });
}
