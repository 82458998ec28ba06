// A new endpoint: refused with the message the dashboard's form shows, or made with invoice.paid on.
import { describe, expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { NotFoundError } from "../errors";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { createEndpoint } from "./create-endpoint";
import { getEndpoint } from "./get-endpoint";

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

test("a new endpoint starts with invoice.paid on, firing successfulPayment, and every other event off", async ({
  appDb,
  box,
}) => {
  const workspace = await createWorkspace(appDb, { name: "Acme" });
  const endpoint = await withWorkspace(appDb, workspace.id, async (tx) => {
    const created = await createEndpoint(tx, { box, workspaceId: workspace.id, name: "Stripe" });
    return getEndpoint(tx, { workspaceId: workspace.id, endpointId: created.id });
  });
  expect(endpoint.events.filter((event) => event.enabled)).toEqual([
    { eventType: "invoice.paid", enabled: true, triggerName: "successfulPayment", condition: null },
  ]);
});

test("an endpoint created with its own events starts with those alone", async ({ appDb, box }) => {
  const workspace = await createWorkspace(appDb, { name: "Acme" });
  const enabledOf = (enable: Array<{ eventType: string }>) =>
    withWorkspace(appDb, workspace.id, async (tx) => {
      const created = await createEndpoint(tx, { box, workspaceId: workspace.id, name: "Stripe", enable });
      const endpoint = await getEndpoint(tx, { workspaceId: workspace.id, endpointId: created.id });
      return endpoint.events.filter((event) => event.enabled).map((event) => event.eventType);
    });
  expect(await enabledOf([{ eventType: "customer.created" }])).toEqual(["customer.created"]);
  expect(await enabledOf([])).toEqual([]);
});
