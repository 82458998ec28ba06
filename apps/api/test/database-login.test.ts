// The API logs in as the services do: as hookloop_app, never as the tables' owner.
import { expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { readApiEnv } from "../src/env";
import { createApiServer } from "../src/server";

test("in production the API logged in as the owner refuses to start, saying why", async ({ environment }) => {
  const env = readApiEnv({ ...environment.env, NODE_ENV: "production", DATABASE_URL: environment.databaseUrl, PORT: "0" });
  await expect(createApiServer(env)).rejects.toThrow(/Refusing this database connection: the database login postgres/);
});

test("logged in as hookloop_app in production, the API serves", async ({ environment }) => {
  const server = await createApiServer(readApiEnv({ ...environment.env, NODE_ENV: "production", PORT: "0" }));
  try {
    expect((await server.app.inject({ url: "/readyz" })).statusCode).toBe(200);
  } finally {
    await server.close();
  }
});
