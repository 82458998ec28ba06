// What the dashboard's endpoint page saves: the pasted signing secret and the event settings, each
// refused with the message the form shows, and nothing saved when refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@hookloop/db/client";
import { SecretBox, parseKeyring } from "@hookloop/secrets";
import { createTestEnvironment, newTestSigningSecret, type TestEnvironment } from "@hookloop/testing";
import { InvalidInputError, NotFoundError } from "../errors";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { createEndpoint } from "./create-endpoint";
import { activeSigningSecrets } from "./endpoint-secrets";
import { getEndpoint } from "./get-endpoint";
import { setEndpointEnabled } from "./set-endpoint-enabled";
import { setEndpointSecret } from "./set-endpoint-secret";
import { EndpointSettingsError, updateEndpointSettings } from "./update-endpoint-settings";

let environment: TestEnvironment;
let appDb: Db;
let box: SecretBox;

beforeAll(async () => {
  environment = await createTestEnvironment();
  appDb = createDb({ connectionString: environment.databaseUrl, max: 2, role: "hookloop_app" });
  box = new SecretBox(parseKeyring(environment.encryptionKeys));
});
afterAll(async () => {
  await appDb.$disconnect();
  await environment.cleanup();
});

async function newEndpoint() {
  const workspace = await createWorkspace(appDb, { name: "Acme" });
  const endpoint = await withWorkspace(appDb, workspace.id, (tx) =>
    createEndpoint(tx, { box, workspaceId: workspace.id, name: "Stripe live" }),
  );
  const inWorkspace = <T>(work: Parameters<typeof withWorkspace<T>>[2]) => withWorkspace(appDb, workspace.id, work);
  const stored = () => inWorkspace((tx) => tx.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } }));
  return { workspaceId: workspace.id, endpointId: endpoint.id, inWorkspace, stored };
}

describe("the signing secret", () => {
  it("is stored encrypted, shown by its last 4 characters, and verifies events", async () => {
    const { workspaceId, endpointId, inWorkspace, stored } = await newEndpoint();
    const secret = newTestSigningSecret();
    const saved = await inWorkspace((tx) => setEndpointSecret(tx, { box, workspaceId, endpointId, secret: `  ${secret}\n` }));

    expect(saved).toEqual({ id: endpointId, secretLast4: secret.slice(-4), previousSecretExpiresAt: null });
    const row = await stored();
    expect(JSON.stringify(row)).not.toContain(secret.slice(6));
    expect(activeSigningSecrets(row, box)).toEqual([secret]);
    expect(await inWorkspace((tx) => getEndpoint(tx, { workspaceId, endpointId }))).not.toHaveProperty("secretCiphertext");
  });

  it("rotating keeps the old secret valid for 24 hours, then only the new one", async () => {
    const { workspaceId, endpointId, inWorkspace, stored } = await newEndpoint();
    const [first, second] = [newTestSigningSecret(), newTestSigningSecret()];
    const now = new Date("2026-11-23T10:00:00Z");
    await inWorkspace((tx) => setEndpointSecret(tx, { box, workspaceId, endpointId, secret: first, now }));
    const rotated = await inWorkspace((tx) => setEndpointSecret(tx, { box, workspaceId, endpointId, secret: second, now }));

    expect(rotated.previousSecretExpiresAt).toEqual(new Date("2026-11-24T10:00:00Z"));
    const row = await stored();
    expect(activeSigningSecrets(row, box, new Date("2026-11-24T09:59:59Z"))).toEqual([second, first]);
    expect(activeSigningSecrets(row, box, new Date("2026-11-24T10:00:01Z"))).toEqual([second]);
  });

  it("a ciphertext copied onto another endpoint does not decrypt there", async () => {
    const a = await newEndpoint();
    const b = await newEndpoint();
    await a.inWorkspace((tx) =>
      setEndpointSecret(tx, { box, workspaceId: a.workspaceId, endpointId: a.endpointId, secret: newTestSigningSecret() }),
    );
    const copied = { ...(await b.stored()), secretCiphertext: (await a.stored()).secretCiphertext };
    expect(() => activeSigningSecrets(copied, box)).toThrow();
  });

  it("a refused secret says why and leaves the stored one as it was", async () => {
    const { workspaceId, endpointId, inWorkspace, stored } = await newEndpoint();
    const secret = newTestSigningSecret();
    await inWorkspace((tx) => setEndpointSecret(tx, { box, workspaceId, endpointId, secret }));
    const before = await stored();

    const attempt = inWorkspace((tx) => setEndpointSecret(tx, { box, workspaceId, endpointId, secret: "pk_live_51Habcdefghij" }));
    await expect(attempt).rejects.toThrow(InvalidInputError);
    await expect(attempt).rejects.toMatchObject({ field: "secret", message: expect.stringMatching(/publishable API key/) });
    expect(await stored()).toEqual(before);
  });
});

describe("the event settings", () => {
  const events = (overrides: Record<string, { enabled: boolean; triggerName: string }>) =>
    Object.entries(overrides).map(([eventType, setting]) => ({ eventType, ...setting }));

  it("save which events are accepted, their trigger names and the contact rules", async () => {
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

  it("a bad trigger name is reported next to its event, and nothing is saved", async () => {
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

  it("an event Hookloop does not handle is refused by name", async () => {
    const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
    const attempt = inWorkspace((tx) =>
      updateEndpointSettings(tx, {
        workspaceId,
        endpointId,
        events: events({ "charge.refunded": { enabled: true, triggerName: "refund" } }),
        onCustomerDeleted: "delete",
        syncNames: true,
      }),
    );
    await expect(attempt).rejects.toThrow("charge.refunded is not a Stripe event Hookloop handles.");
  });
});

describe("pausing", () => {
  it("pauses and resumes the endpoint, and never another workspace's", async () => {
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

describe("a new endpoint", () => {
  it.each([
    ["", "Give the endpoint a name."],
    ["x".repeat(101), "Keep the endpoint name to 100 characters or fewer."],
  ])("named %j is refused with a plain message", async (name, message) => {
    const workspace = await createWorkspace(appDb, { name: "Acme" });
    const attempt = withWorkspace(appDb, workspace.id, (tx) => createEndpoint(tx, { box, workspaceId: workspace.id, name }));
    await expect(attempt).rejects.toMatchObject({ field: "name", message });
  });

  it("in a workspace that does not exist is refused", async () => {
    const attempt = withWorkspace(appDb, "ws_missing", (tx) => createEndpoint(tx, { box, workspaceId: "ws_missing", name: "x" }));
    await expect(attempt).rejects.toThrow(NotFoundError);
  });
});
