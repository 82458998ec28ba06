// Row-level security, checked in the database itself: as the role services use, a transaction
// sees and changes only the rows of the workspace it names, and nothing without one.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, tenantTables, type TestDatabase } from "../src/testing";

let database: TestDatabase;
let owner: pg.Client;
let app: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  owner = new pg.Client({ connectionString: database.url });
  app = new pg.Client({ connectionString: database.url, options: "-c role=hookloop_app" });
  await Promise.all([owner.connect(), app.connect()]);
  for (const ws of ["ws_a", "ws_b"]) {
    await owner.query("INSERT INTO workspace (id, name, slug) VALUES ($1, $1, $1)", [ws]);
    await owner.query("SELECT set_config('app.workspace_id', $1, false)", [ws]);
    await owner.query("INSERT INTO endpoint (id, workspace_id, name, updated_at) VALUES ($1, $2, 'Stripe', now())", [
      `ep_${ws}`,
      ws,
    ]);
    await owner.query("INSERT INTO contact (workspace_id, email, source) VALUES ($1, 'ada@example.com', 'Stripe')", [ws]);
  }
  await owner.query("RESET app.workspace_id");
});
afterAll(async () => {
  await Promise.all([owner.end(), app.end()]);
  await database.drop();
});

async function asWorkspace<T>(workspaceId: string | null, run: () => Promise<T>): Promise<T> {
  await app.query("BEGIN");
  try {
    if (workspaceId) await app.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
    return await run();
  } finally {
    await app.query("ROLLBACK");
  }
}

describe("row-level security", () => {
  it("is enabled and forced on every tenant table", async () => {
    const { rows } = await owner.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY($1)",
      [tenantTables],
    );
    expect(rows).toHaveLength(tenantTables.length);
    for (const row of rows) expect(row, row.relname).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
  });

  it("the services' role cannot bypass it", async () => {
    const { rows } = await owner.query("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'hookloop_app'");
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
  });

  it("a transaction that names no workspace sees no tenant rows (a forgotten where leaks nothing)", async () => {
    await asWorkspace(null, async () => {
      for (const table of tenantTables) {
        expect((await app.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n, table).toBe(0);
      }
    });
  });

  it("a transaction sees only its own workspace's rows", async () => {
    await asWorkspace("ws_a", async () => {
      expect((await app.query("SELECT workspace_id FROM contact")).rows).toEqual([{ workspace_id: "ws_a" }]);
      expect((await app.query("SELECT id FROM endpoint")).rows).toEqual([{ id: "ep_ws_a" }]);
    });
  });

  it("cannot change or write another workspace's rows", async () => {
    await asWorkspace("ws_a", async () => {
      const updated = await app.query("UPDATE contact SET first_name = 'Mallory' WHERE workspace_id = 'ws_b'");
      expect(updated.rowCount).toBe(0);
      const deleted = await app.query("DELETE FROM endpoint WHERE id = 'ep_ws_b'");
      expect(deleted.rowCount).toBe(0);
      await expect(
        app.query("INSERT INTO contact (workspace_id, email, source) VALUES ('ws_b', 'eve@example.com', 'Stripe')"),
      ).rejects.toThrow(/row-level security/);
    });
    const { rows } = await owner.query("SELECT first_name FROM contact WHERE workspace_id = 'ws_b'");
    expect(rows).toEqual([{ first_name: null }]);
  });

  it("ingest reads only the endpoint its URL names", async () => {
    await asWorkspace(null, async () => {
      const { rows } = await app.query("SELECT hookloop_ingest_endpoint('ep_ws_a') AS endpoint");
      expect(rows[0].endpoint).toMatchObject({ id: "ep_ws_a", workspaceId: "ws_a" });
      // …and after that lookup, still nothing else
      expect((await app.query("SELECT id FROM endpoint")).rows).toEqual([{ id: "ep_ws_a" }]);
      expect((await app.query("SELECT count(*)::int AS n FROM contact")).rows[0].n).toBe(0);
    });
  });
});
