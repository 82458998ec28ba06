// Renaming an endpoint from its page: the name changes, nothing else does.
import { expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { InvalidInputError, NotFoundError } from "../errors";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { deleteEndpoint } from "./delete-endpoint";
import { getEndpoint } from "./get-endpoint";
import { renameEndpoint } from "./rename-endpoint";

test("an endpoint renamed keeps its URL and settings under the new name", async ({ newEndpoint }) => {
  const { workspaceId, endpointId, inWorkspace, stored } = await newEndpoint();
  const before = await stored();
  expect(await inWorkspace((tx) => renameEndpoint(tx, { workspaceId, endpointId, name: "  Stripe (EU)  " }))).toEqual({
    id: endpointId,
    name: "Stripe (EU)",
    previousName: "Stripe live",
  });
  expect(await inWorkspace((tx) => getEndpoint(tx, { workspaceId, endpointId }))).toMatchObject({
    id: endpointId,
    name: "Stripe (EU)",
  });
  expect(await stored()).toMatchObject({ ...before, name: "Stripe (EU)", updatedAt: expect.any(Date) });
});

test("a blank or too long name is refused with the form's words", async ({ newEndpoint }) => {
  const { workspaceId, endpointId, inWorkspace, stored } = await newEndpoint();
  const rename = (name: string) => inWorkspace((tx) => renameEndpoint(tx, { workspaceId, endpointId, name }));
  await expect(rename("   ")).rejects.toThrow(new InvalidInputError("Give the endpoint a name.", "name"));
  await expect(rename("x".repeat(101))).rejects.toThrow("Keep the endpoint name to 100 characters or fewer.");
  expect((await stored()).name).toBe("Stripe live");
});

test("another workspace's endpoint, or a deleted one, is not found and keeps its name", async ({ newEndpoint, appDb }) => {
  const { workspaceId, endpointId, inWorkspace, stored } = await newEndpoint();
  const stranger = await createWorkspace(appDb, { name: "Other" });
  await expect(
    withWorkspace(appDb, stranger.id, (tx) => renameEndpoint(tx, { workspaceId: stranger.id, endpointId, name: "Mine" })),
  ).rejects.toThrow(NotFoundError);
  await inWorkspace((tx) => deleteEndpoint(tx, { workspaceId, endpointId }));
  await expect(inWorkspace((tx) => renameEndpoint(tx, { workspaceId, endpointId, name: "Back" }))).rejects.toThrow(NotFoundError);
  expect((await stored()).name).toBe("Stripe live");
});
