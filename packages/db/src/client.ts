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
   * Each new connection first checks what its login can act as, and is closed unused, its query
   * failing with PrivilegedRoleError, when that could step outside row-level security. Services set
   * it in production; the owner's clients (tests, tooling) leave it off.
   */
  refusePrivilegedRole?: boolean;
};

// One registry per process, not per copy of this module: Next bundles server code per layer, so a
// client made in one bundle's copy may reach sqlPool through another's.
const poolsKey = Symbol.for("hookloop.db.pools");
const registry = globalThis as typeof globalThis & { [poolsKey]?: WeakMap<object, pg.Pool> };
const pools = (registry[poolsKey] ??= new WeakMap<object, pg.Pool>());

export function createDb(options: DatabaseOptions): Db {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 2_000,
    query_timeout: options.queryTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    // pg-pool awaits what onConnect returns and closes the connection when it rejects (@types/pg says void).
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    ...(options.refusePrivilegedRole ? { onConnect: refuseIfPrivileged } : {}),
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

/** Raised instead of running a query on a connection that could step outside row-level security. */
export class PrivilegedRoleError extends Error {
  override readonly name = "PrivilegedRoleError";
}

type Queryable = pg.ClientBase | pg.Pool;

/**
 * Why this connection could step outside row-level security, in words; none when it cannot. Both
 * the login (session_user) and the current role count, and every role either may SET ROLE to: a
 * superuser, a role with BYPASSRLS, or one owning a table with row-level security (an owner may turn it off).
 */
export async function privilegedRoleProblem(connection: Queryable): Promise<string | undefined> {
  const { rows } = await connection.query<{ login: string; superusers: string[]; bypassers: string[]; owners: string[] }>(
    `WITH reachable AS (
       SELECT r.oid, r.rolname::text AS name, r.rolsuper, r.rolbypassrls FROM pg_roles r
       WHERE pg_has_role(session_user, r.oid, 'MEMBER') OR pg_has_role(current_user, r.oid, 'MEMBER')
     )
     SELECT session_user::text AS login,
       ARRAY(SELECT name FROM reachable WHERE rolsuper ORDER BY name) AS superusers,
       ARRAY(SELECT name FROM reachable WHERE rolbypassrls AND NOT rolsuper ORDER BY name) AS bypassers,
       ARRAY(SELECT DISTINCT name FROM reachable JOIN pg_class c ON c.relowner = reachable.oid
             WHERE c.relnamespace = current_schema()::regnamespace AND c.relrowsecurity ORDER BY name) AS owners`,
  );
  const { login, superusers, bypassers, owners } = rows[0]!;
  const reasons = [
    ...superusers.map((role) => `${role} (a superuser)`),
    ...bypassers.map((role) => `${role} (BYPASSRLS)`),
    // A superuser owns nothing more than it can already do.
    ...(superusers.length ? [] : owners.map((role) => `${role} (owns tables with row-level security)`)),
  ];
  if (!reasons.length) return undefined;
  return (
    `the database login ${login} can act as ${reasons.join(", ")}, so a query could leave row-level security behind. ` +
    "Services log in as hookloop_app (made by the migrations) in DATABASE_URL; only migrations use the owner."
  );
}

async function refuseIfPrivileged(client: pg.ClientBase): Promise<void> {
  const problem = await privilegedRoleProblem(client);
  if (problem) throw new PrivilegedRoleError(`Refusing this database connection: ${problem}`);
}

/**
 * A service's check at boot. With `refusePrivilegedRole` (production) a privileged login throws
 * PrivilegedRoleError here, so the service stops before it serves anything; without it, the reason
 * goes to `warn`. A database not reachable yet gives no answer and is left to readiness: with
 * `refusePrivilegedRole` each connection is checked when it is made, whenever that is.
 */
export async function checkServiceRole(db: Db, warn: (message: string) => void): Promise<void> {
  let problem: string | undefined;
  try {
    problem = await privilegedRoleProblem(sqlPool(db));
  } catch (error) {
    if (error instanceof PrivilegedRoleError) throw error;
    return;
  }
  if (problem) warn(`${problem} (refused in production)`);
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
