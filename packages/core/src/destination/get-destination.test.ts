import { Webhook } from "standardwebhooks";
import { expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { NotFoundError } from "../errors";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { createDestination } from "./create-destination";
import { getDestination } from "./get-destination";

test("a destination is read with its signing secret in full, and another workspace's is not found", async ({ appDb, box }) => {
  const acme = await createWorkspace(appDb, { name: "Acme" });
  const other = await createWorkspace(appDb, { name: "Other" });
  const created = await withWorkspace(appDb, acme.id, (tx) =>
    createDestination(tx, {
      box,
      workspaceId: acme.id,
      name: "Loops",
      url: "https://loops.example/hooks",
      triggers: ["successfulPayment"],
      contactChanges: true,
      allowPrivateTargets: false,
    }),
  );

  const destination = await withWorkspace(appDb, acme.id, (tx) =>
    getDestination(tx, { workspaceId: acme.id, destinationId: created.id, box }),
  );
  expect(destination).toMatchObject({
    id: created.id,
    name: "Loops",
    url: "https://loops.example/hooks",
    enabled: true,
    pausedAt: null,
    triggers: ["successfulPayment"],
    contactChanges: true,
    lastSuccessAt: null,
    secret: created.secret,
    previousSecretExpiresAt: null,
  });
  // The secret is one a Standard Webhooks library takes as it is.
  expect(() => new Webhook(destination.secret)).not.toThrow();

  await expect(
    withWorkspace(appDb, other.id, (tx) => getDestination(tx, { workspaceId: other.id, destinationId: created.id, box })),
  ).rejects.toThrow(NotFoundError);
});
