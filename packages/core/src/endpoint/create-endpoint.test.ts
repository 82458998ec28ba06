// A new endpoint refused with the message the dashboard's form shows.
import { describe, expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { NotFoundError } from "../errors";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { createEndpoint } from "./create-endpoint";

describe("a new endpoint", () => {
  test.for<[name: string, message: string]>([
    ["", "Give the endpoint a name."],
    ["x".repeat(101), "Keep the endpoint name to 100 characters or fewer."],
  ])("named %j is refused with a plain message", async ([name, message], { appDb, box }) => {
    const workspace = await createWorkspace(appDb, { name: "Acme" });
    const attempt = withWorkspace(appDb, workspace.id, (tx) => createEndpoint(tx, { box, workspaceId: workspace.id, name }));
    await expect(attempt).rejects.toMatchObject({ field: "name", message });
  });

  test("in a workspace that does not exist is refused", async ({ appDb, box }) => {
    const attempt = withWorkspace(appDb, "ws_missing", (tx) => createEndpoint(tx, { box, workspaceId: "ws_missing", name: "x" }));
    await expect(attempt).rejects.toThrow(NotFoundError);
  });
});
