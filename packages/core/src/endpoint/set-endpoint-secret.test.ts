// What the dashboard's endpoint page saves when a signing secret is pasted: stored encrypted, the
// previous one kept for 24 hours, a refused one explained with the message the form shows and
// nothing saved.
import { describe, expect } from "vitest";
import { newTestSigningSecret } from "@hookloop/testing";
import { test } from "@hookloop/testing/fixtures";
import { InvalidInputError, SecretInGraceError } from "../errors";
import { activeSigningSecrets } from "./endpoint-secrets";
import { getEndpoint } from "./get-endpoint";
import { setEndpointSecret } from "./set-endpoint-secret";

describe("the signing secret", () => {
  test("is stored encrypted, shown by its last 4 characters, and verifies events", async ({ newEndpoint, box }) => {
    const { workspaceId, endpointId, inWorkspace, stored } = await newEndpoint();
    const secret = newTestSigningSecret();
    const saved = await inWorkspace((tx) => setEndpointSecret(tx, { box, workspaceId, endpointId, secret: `  ${secret}\n` }));

    expect(saved).toEqual({ id: endpointId, secretLast4: secret.slice(-4), previousSecretExpiresAt: null });
    const row = await stored();
    expect(JSON.stringify(row)).not.toContain(secret.slice(6));
    expect(activeSigningSecrets(row, box)).toEqual([secret]);
    expect(await inWorkspace((tx) => getEndpoint(tx, { workspaceId, endpointId }))).not.toHaveProperty("secretCiphertext");
  });

  test("rotating keeps the old secret valid for 24 hours, then only the new one", async ({ newEndpoint, box }) => {
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

  test("a second rotation within the 24 hours drops the first one's secret only once that is confirmed", async ({
    newEndpoint,
    box,
  }) => {
    const { workspaceId, endpointId, inWorkspace, stored } = await newEndpoint();
    const [stripes, mistaken, third] = [newTestSigningSecret(), newTestSigningSecret(), newTestSigningSecret()];
    const now = new Date("2026-11-23T10:00:00Z");
    await inWorkspace((tx) => setEndpointSecret(tx, { box, workspaceId, endpointId, secret: stripes, now }));
    await inWorkspace((tx) => setEndpointSecret(tx, { box, workspaceId, endpointId, secret: mistaken, now }));
    const before = await stored();

    const later = new Date("2026-11-23T12:00:00Z");
    const unconfirmed = inWorkspace((tx) => setEndpointSecret(tx, { box, workspaceId, endpointId, secret: third, now: later }));
    await expect(unconfirmed).rejects.toThrow(SecretInGraceError);
    await expect(unconfirmed).rejects.toMatchObject({
      last4: stripes.slice(-4),
      acceptedUntil: new Date("2026-11-24T10:00:00Z"),
    });
    expect(await stored()).toEqual(before);
    expect(activeSigningSecrets(await stored(), box, later)).toEqual([mistaken, stripes]);

    await inWorkspace((tx) =>
      setEndpointSecret(tx, {
        box,
        workspaceId,
        endpointId,
        secret: third,
        now: later,
        dropSecretAcceptedUntil: new Date("2026-11-24T10:00:00Z"),
      }),
    );
    expect(activeSigningSecrets(await stored(), box, later)).toEqual([third, mistaken]);
  });

  test("a rotation after the 24 hours asks nothing", async ({ newEndpoint, box }) => {
    const { workspaceId, endpointId, inWorkspace, stored } = await newEndpoint();
    const [first, second, third] = [newTestSigningSecret(), newTestSigningSecret(), newTestSigningSecret()];
    await inWorkspace((tx) =>
      setEndpointSecret(tx, { box, workspaceId, endpointId, secret: first, now: new Date("2026-11-23T10:00:00Z") }),
    );
    await inWorkspace((tx) =>
      setEndpointSecret(tx, { box, workspaceId, endpointId, secret: second, now: new Date("2026-11-23T10:00:00Z") }),
    );
    const later = new Date("2026-11-24T10:00:01Z");
    await inWorkspace((tx) => setEndpointSecret(tx, { box, workspaceId, endpointId, secret: third, now: later }));
    expect(activeSigningSecrets(await stored(), box, later)).toEqual([third, second]);
  });

  test("a ciphertext copied onto another endpoint does not decrypt there", async ({ newEndpoint, box }) => {
    const a = await newEndpoint();
    const b = await newEndpoint();
    await a.inWorkspace((tx) =>
      setEndpointSecret(tx, { box, workspaceId: a.workspaceId, endpointId: a.endpointId, secret: newTestSigningSecret() }),
    );
    const copied = { ...(await b.stored()), secretCiphertext: (await a.stored()).secretCiphertext };
    expect(() => activeSigningSecrets(copied, box)).toThrow();
  });

  test("a refused secret says why and leaves the stored one as it was", async ({ newEndpoint, box }) => {
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
