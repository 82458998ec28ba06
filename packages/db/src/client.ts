// The one way apps get a database client. Importing this module opens nothing.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client";

export { Prisma } from "./generated/prisma/client";
export type * from "./generated/prisma/client";
export { DeliveryStatus, DeletionBehaviour } from "./generated/prisma/enums";

export type { Pool as SqlPool, PoolClient as SqlClient } from "pg";

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

const pools = new WeakMap<object, pg.Pool>();

export function createDb(options: DatabaseOptions): Db {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 2_000,
    query_timeout: options.queryTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    ...(options.role ? { options: `-c role=${options.role}` } : {}),
  });
  // A connection that dies while idle (a restart, a dropped database) is replaced on next use.
  pool.on("error", () => {});
  const db = new PrismaClient({ adapter: new PrismaPg(pool) });
  // The pool also serves `sqlPool` callers, so it is ended here even if Prisma itself never connected.
  const disconnect = db.$disconnect.bind(db);
  db.$disconnect = async () => {
    await disconnect();
    if (!pool.ended) await pool.end();
  };
  pools.set(db, pool);
  return db;
}

/**
 * The `pg` pool under a client made by `createDb`: same connections, same role, so row-level
 * security applies alike. For the few hot paths where Prisma's per-statement cost shows
 * (ingest's record statement, the worker's apply step); everything else goes through Prisma.
 */
export function sqlPool(db: Db | DbClient): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error("sqlPool: not a client made by createDb (a transaction client has no pool of its own)");
  return pool;
}
