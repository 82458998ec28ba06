// Pausing an endpoint from the dashboard, and resuming it.
import { describe, expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { NotFoundError } from "../errors";
import { getEndpoint } from "./get-endpoint";
import { setEndpointEnabled } from "./set-endpoint-enabled";

describe("pausing", () => {
  test("pauses and resumes the endpoint, and never another workspace's", async ({ newEndpoint }) => {
    const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
    const stranger = await newEndpoint();
    await inWorkspace((tx) => setEndpointEnabled(tx, { workspaceId, endpointId, enabled: false }));
    expect(await inWorkspace((tx) => getEndpoint(tx, { workspaceId, endpointId }))).toMatchObject({ enabled: false });
    await inWorkspace((tx) => setEndpointEnabled(tx, { workspaceId, endpointId, enabled: true }));
    expect(await inWorkspace((tx) => getEndpoint(tx, { workspaceId, endpointId }))).toMatchObject({ enabled: true });

    const attempt = stranger.inWorkspace((tx) =>
      setEndpointEnabled(tx, { workspaceId: stranger.workspaceId, endpointId, enabled: false }),
    );
    await expect(attempt).rejects.toThrow(NotFoundError);
    expect(await inWorkspace((tx) => getEndpoint(tx, { workspaceId, endpointId }))).toMatchObject({ enabled: true });
  });
});
