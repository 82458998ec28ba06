// What the dashboard's endpoint page saves as event settings: which events are accepted, their
// trigger names and the contact rules, each refused with the message the form shows, and nothing
// saved when refused.
import { describe, expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { getEndpoint } from "./get-endpoint";
import { EndpointSettingsError, updateEndpointSettings } from "./update-endpoint-settings";

describe("the event settings", () => {
  const events = (overrides: Record<string, { enabled: boolean; triggerName: string }>) =>
    Object.entries(overrides).map(([eventType, setting]) => ({ eventType, ...setting }));

  test("save which events are accepted, their trigger names and the contact rules", async ({ newEndpoint }) => {
    const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
    await inWorkspace((tx) =>
      updateEndpointSettings(tx, {
        workspaceId,
        endpointId,
        events: events({ "invoice.paid": { enabled: true, triggerName: " successfulPayment " } }),
        onCustomerDeleted: "delete",
        syncNames: false,
      }),
    );
    const endpoint = await inWorkspace((tx) => getEndpoint(tx, { workspaceId, endpointId }));
    expect(endpoint).toMatchObject({ onCustomerDeleted: "delete", syncNames: false });
    expect(endpoint.events.find((event) => event.eventType === "invoice.paid")).toEqual({
      eventType: "invoice.paid",
      enabled: true,
      triggerName: "successfulPayment",
    });
  });

  test("a bad trigger name is reported next to its event, and nothing is saved", async ({ newEndpoint }) => {
    const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
    const before = await inWorkspace((tx) => getEndpoint(tx, { workspaceId, endpointId }));
    const attempt = inWorkspace((tx) =>
      updateEndpointSettings(tx, {
        workspaceId,
        endpointId,
        events: events({
          "invoice.paid": { enabled: true, triggerName: "successful payment!" },
          "customer.created": { enabled: true, triggerName: "signedUp" },
          "invoice.upcoming": { enabled: false, triggerName: "x".repeat(65) },
        }),
        onCustomerDeleted: "delete",
        syncNames: false,
      }),
    );
    await expect(attempt).rejects.toThrow(EndpointSettingsError);
    await expect(attempt).rejects.toMatchObject({
      fieldErrors: {
        "invoice.paid": "Use only letters, digits, _ and - in a trigger event name.",
        "invoice.upcoming": "Keep the trigger event name to 64 characters or fewer.",
      },
    });
    expect(await inWorkspace((tx) => getEndpoint(tx, { workspaceId, endpointId }))).toEqual(before);
  });

  test("an event Hookloop does not handle is refused by name", async ({ newEndpoint }) => {
    const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
    const attempt = inWorkspace((tx) =>
      updateEndpointSettings(tx, {
        workspaceId,
        endpointId,
        events: events({ "charge.succeeded": { enabled: true, triggerName: "charged" } }),
        onCustomerDeleted: "delete",
        syncNames: true,
      }),
    );
    await expect(attempt).rejects.toThrow("charge.succeeded is not a Stripe event Hookloop handles.");
  });
});
