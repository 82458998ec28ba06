// /healthz and /readyz, as a load balancer or an orchestrator asks them.
import { describe, expect } from "vitest";
import { test } from "./ingest-harness";

describe("health", () => {
  test("/healthz answers while the process is up and /readyz reports Postgres and Redis", async ({ ingest: h }) => {
    expect((await h.server.app.inject({ url: "/healthz" })).json()).toEqual({ status: "ok" });
    const ready = await h.server.app.inject({ url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: "ok", checks: { postgres: "ok", redis: "ok" } });
  });
});
