// Services log in as hookloop_app, not as the owner switched to it: SQL injected into one of their
// queries cannot take the owner's powers back, and a service refuses a login that could.
import { createHash, createHmac, randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMigrateEnv } from "../scripts/env";
import { PrivilegedRoleError, checkServiceRole, createDb, privilegedRoleProblem } from "../src/client";
import { applyMigrations, scramVerifier } from "../src/migrate";
import { connectTestDatabase, createTestDatabase, tenantTables, type TestDatabase, type TestSqlConnection } from "../src/testing";

let database: TestDatabase;
let owner: TestSqlConnection;
const workspaceId = `ws_${randomBytes(4).toString("hex")}`;

beforeAll(async () => {
  database = await createTestDatabase();
  owner = await connectTestDatabase(database.url);
  // A tenant row for a query without a workspace to find, were row-level security left behind.
  await owner.query("INSERT INTO workspace (id, name, slug) VALUES ($1, 'Acme', $1)", [workspaceId]);
  await owner.query("INSERT INTO contact_suppression (workspace_id, email_hash) VALUES ($1, 'hash')", [workspaceId]);
});
afterAll(async () => {
  await owner?.end();
  await database?.drop();
});

/** The SQLSTATE a statement fails with, or undefined when it succeeds. */
async function errorCodeOf(client: TestSqlConnection, sql: string): Promise<string | undefined> {
  try {
    await client.query(sql);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

async function whoAmI(client: TestSqlConnection) {
  const { rows } = await client.query<{ session: string; current: string; rolsuper: boolean; rolbypassrls: boolean }>(
    `SELECT session_user::text AS session, current_user::text AS current, rolsuper, rolbypassrls
     FROM pg_roles WHERE rolname = current_user`,
  );
  return rows[0];
}

describe("logged in as the services log in", () => {
  it("SET ROLE to the owner is refused, RESET ROLE keeps hookloop_app, and no tenant row shows without a workspace", async () => {
    const service = await connectTestDatabase(database.serviceUrl);
    try {
      expect(await whoAmI(service)).toEqual({
        session: "hookloop_app",
        current: "hookloop_app",
        rolsuper: false,
        rolbypassrls: false,
      });
      expect(await errorCodeOf(service, "SET ROLE postgres")).toBe("42501");
      expect(await errorCodeOf(service, "SET SESSION AUTHORIZATION postgres")).toBe("42501");
      expect(await errorCodeOf(service, "RESET ROLE")).toBeUndefined();
      expect(await whoAmI(service)).toEqual({
        session: "hookloop_app",
        current: "hookloop_app",
        rolsuper: false,
        rolbypassrls: false,
      });
      // Only an owner may turn row-level security off.
      expect(await errorCodeOf(service, "ALTER TABLE contact_suppression NO FORCE ROW LEVEL SECURITY")).toBe("42501");
      expect(await errorCodeOf(service, "ALTER TABLE contact_suppression DISABLE ROW LEVEL SECURITY")).toBe("42501");
      for (const table of tenantTables) {
        const { rows } = await service.query<{ count: string }>(`SELECT count(*) FROM "${table}"`);
        expect(rows[0]!.count, table).toBe("0");
      }
      const { rows } = await owner.query<{ count: string }>("SELECT count(*) FROM contact_suppression WHERE workspace_id = $1", [
        workspaceId,
      ]);
      expect(rows[0]!.count).toBe("1");
      expect(await privilegedRoleProblem(service)).toBeUndefined();
    } finally {
      await service.end();
    }
  });

  it("whereas the owner switched to hookloop_app, as services connected before, got the owner back with SET ROLE", async () => {
    const switched = new pg.Client({ connectionString: database.url, options: "-c role=hookloop_app" });
    await switched.connect();
    try {
      expect(await whoAmI(switched)).toMatchObject({ session: "postgres", current: "hookloop_app" });
      // What the services' check now refuses.
      expect(await privilegedRoleProblem(switched)).toMatch(/login postgres can act as .*\(a superuser\)/);
      expect(await errorCodeOf(switched, "SET ROLE postgres")).toBeUndefined();
      expect(await whoAmI(switched)).toMatchObject({ current: "postgres", rolsuper: true });
      const { rows } = await switched.query<{ count: string }>("SELECT count(*) FROM contact_suppression");
      expect(Number(rows[0]!.count)).toBeGreaterThan(0);
    } finally {
      await switched.end();
    }
  });
});

describe("a service's database client", () => {
  it("with refusePrivilegedRole, runs nothing on a login that could step outside row-level security", async () => {
    const ownerClient = createDb({ connectionString: database.url, refusePrivilegedRole: true, max: 1 });
    const serviceClient = createDb({ connectionString: database.serviceUrl, refusePrivilegedRole: true, max: 1 });
    try {
      await expect(ownerClient.workspace.count()).rejects.toThrow(/login postgres can act as .*postgres \(a superuser\)/);
      await expect(checkServiceRole(ownerClient, () => {})).rejects.toBeInstanceOf(PrivilegedRoleError);
      expect(await serviceClient.workspace.count()).toBeGreaterThan(0);
      const warnings: string[] = [];
      await checkServiceRole(serviceClient, (message) => warnings.push(message));
      expect(warnings).toEqual([]);
    } finally {
      await ownerClient.$disconnect();
      await serviceClient.$disconnect();
    }
  });

  it("without it (development and tests), the boot check warns of such a login instead", async () => {
    const ownerClient = createDb({ connectionString: database.url, max: 1 });
    try {
      const warnings: string[] = [];
      await checkServiceRole(ownerClient, (message) => warnings.push(message));
      expect(warnings).toEqual([expect.stringMatching(/login postgres can act as .*\(a superuser\).*refused in production/)]);
    } finally {
      await ownerClient.$disconnect();
    }
  });

  it("a database not reachable yet leaves the boot check to readiness", async () => {
    const down = createDb({
      connectionString: "postgresql://hookloop_app@127.0.0.1:1/nothing",
      refusePrivilegedRole: true,
      max: 1,
    });
    try {
      const warnings: string[] = [];
      await checkServiceRole(down, (message) => warnings.push(message));
      expect(warnings).toEqual([]);
    } finally {
      await down.$disconnect();
    }
  });

  it("refuses a login that may SET ROLE to a superuser, has BYPASSRLS, or owns a tenant table, not only a superuser", async () => {
    const role = `hookloop_test_login_${randomBytes(4).toString("hex")}`;
    await owner.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS IN ROLE hookloop_app`);
    const url = new URL(database.serviceUrl);
    url.username = role;
    const login = await connectTestDatabase(url.toString());
    try {
      expect(await privilegedRoleProblem(login)).toBeUndefined();
      await owner.query(`GRANT postgres TO ${role}`);
      expect(await privilegedRoleProblem(login)).toMatch(new RegExp(`login ${role} can act as postgres \\(a superuser\\)`));
      await owner.query(`REVOKE postgres FROM ${role}`);
      await owner.query(`ALTER ROLE ${role} BYPASSRLS`);
      expect(await privilegedRoleProblem(login)).toMatch(new RegExp(`can act as ${role} \\(BYPASSRLS\\)`));
      await owner.query(`ALTER ROLE ${role} NOBYPASSRLS`);
      await owner.query(`ALTER TABLE contact_suppression OWNER TO ${role}`);
      expect(await privilegedRoleProblem(login)).toMatch(
        new RegExp(`can act as ${role} \\(owns tables with row-level security\\)`),
      );
      await owner.query("ALTER TABLE contact_suppression OWNER TO postgres");
      expect(await privilegedRoleProblem(login)).toBeUndefined();
    } finally {
      await login.end();
      await owner.query("ALTER TABLE contact_suppression OWNER TO postgres");
      await owner.query(`DROP ROLE ${role}`);
    }
  });
});

describe("hookloop_app's password", () => {
  it("the migrate command sets DATABASE_APP_PASSWORD as a SCRAM-SHA-256 verifier, never as the password itself", async () => {
    const password = randomBytes(18).toString("hex");
    const readStored = async () =>
      (await owner.query<{ rolpassword: string | null }>("SELECT rolpassword FROM pg_authid WHERE rolname = 'hookloop_app'"))
        .rows[0]!.rolpassword;
    const before = await readStored();
    try {
      expect(await applyMigrations({ connectionString: database.url, appPassword: password })).toEqual([]);
      const stored = await readStored();
      expect(stored).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
      expect(stored).not.toContain(password);
      await expect(applyMigrations({ connectionString: database.url, appPassword: "short" })).rejects.toThrow(
        /at least 16 printable ASCII characters/,
      );
    } finally {
      // The role is the whole cluster's: leave it as it was found (the local server trusts local logins).
      if (before === null) await owner.query("ALTER ROLE hookloop_app PASSWORD NULL");
      else await owner.query(`ALTER ROLE hookloop_app PASSWORD '${before}'`);
    }
  });

  it("the verifier is one a SCRAM-SHA-256 server checks the RFC 7677 example exchange with", () => {
    // RFC 7677 section 3: user "user", password "pencil".
    const verifier = scramVerifier("pencil", Buffer.from("W22ZaJ0SNY7soEsUEjb6gQ==", "base64"), 4096);
    const [, storedKey, serverKey] = /^SCRAM-SHA-256\$4096:W22ZaJ0SNY7soEsUEjb6gQ==\$(.+):(.+)$/.exec(verifier) ?? [];
    const authMessage =
      "n=user,r=rOprNGfwEbeRWgbNEkqO," +
      "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096," +
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    // The server's check of the client's proof: H(proof XOR HMAC(StoredKey, AuthMessage)) = StoredKey.
    const proof = Buffer.from("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "base64");
    const signature = createHmac("sha256", Buffer.from(storedKey!, "base64")).update(authMessage).digest();
    const clientKey = Buffer.from(proof.map((byte, index) => byte ^ signature[index]!));
    expect(createHash("sha256").update(clientKey).digest("base64")).toBe(storedKey);
    // And the server's own signature, which the client checks.
    expect(createHmac("sha256", Buffer.from(serverKey!, "base64")).update(authMessage).digest("base64")).toBe(
      "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
    );
  });

  it("production's migrate command requires DATABASE_APP_PASSWORD; a developer's trusted local server needs none", () => {
    const ownerUrl = "postgresql://postgres@127.0.0.1:5432/hookloop";
    expect(() => readMigrateEnv({ MIGRATION_DATABASE_URL: ownerUrl, NODE_ENV: "production" })).toThrow(
      /DATABASE_APP_PASSWORD: required in production/,
    );
    expect(
      readMigrateEnv({ MIGRATION_DATABASE_URL: ownerUrl, NODE_ENV: "production", DATABASE_APP_PASSWORD: "p".repeat(20) }),
    ).toEqual({
      connectionString: ownerUrl,
      appPassword: "p".repeat(20),
    });
    expect(readMigrateEnv({ MIGRATION_DATABASE_URL: ownerUrl })).toEqual({ connectionString: ownerUrl });
    // The services' DATABASE_URL is never taken for the owner's.
    expect(() => readMigrateEnv({ DATABASE_URL: ownerUrl })).toThrow(/MIGRATION_DATABASE_URL/);
  });
});
