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
      condition: null,
    });
  });

  test("a condition is kept with its event, and one the event cannot answer is refused next to it", async ({ newEndpoint }) => {
    const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
    const save = (eventType: string, condition: Parameters<typeof updateEndpointSettings>[1]["events"][number]["condition"]) =>
      inWorkspace((tx) =>
        updateEndpointSettings(tx, {
          workspaceId,
          endpointId,
          events: [{ eventType, enabled: true, triggerName: "paid", condition }],
          onCustomerDeleted: "unsubscribe",
          syncNames: true,
        }),
      );
    await save("invoice.paid", { kind: "first_invoice" });
    const saved = await inWorkspace((tx) => getEndpoint(tx, { workspaceId, endpointId }));
    expect(saved.events.find((event) => event.eventType === "invoice.paid")).toMatchObject({
      condition: { kind: "first_invoice" },
    });

    const refused = await save("customer.created", { kind: "min_amount", amount: 100 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(EndpointSettingsError);
    expect((refused as EndpointSettingsError).fieldErrors).toEqual({
      "customer.created":
        "customer.created cannot fire only an amount of at least 100 (smallest currency unit): its events do not say so.",
    });

    await save("invoice.paid", null);
    const cleared = await inWorkspace((tx) => getEndpoint(tx, { workspaceId, endpointId }));
    expect(cleared.events.find((event) => event.eventType === "invoice.paid")).toMatchObject({ condition: null });
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
