// An ingest server on a fresh database and Redis prefix, with one workspace and endpoint.
import { createEndpoint, createWorkspace, withWorkspace } from "@hookloop/core";
import { createDb, type Db } from "@hookloop/db/client";
import { SecretBox, parseKeyring } from "@hookloop/secrets";
import { createTestEnvironment, newTestSigningSecret, type TestEnvironment } from "@hookloop/testing";
import { readIngestEnv } from "../src/env";
import { createIngestServer, type IngestServer } from "../src/server";

export type IngestHarness = {
  environment: TestEnvironment;
  server: IngestServer;
  db: Db;
  box: SecretBox;
  workspaceId: string;
  endpointId: string;
  secret: string;
  close: () => Promise<void>;
};

export async function startIngestHarness(overrides: Record<string, string> = {}): Promise<IngestHarness> {
  const environment = await createTestEnvironment();
  const db = createDb({ connectionString: environment.databaseUrl, max: 4 });
  const box = new SecretBox(parseKeyring(environment.encryptionKeys));
  const workspace = await createWorkspace(db, { name: "Acme" });
  const secret = newTestSigningSecret();
  const endpoint = await withWorkspace(db, workspace.id, (tx) =>
    createEndpoint(tx, {
      box,
      workspaceId: workspace.id,
      name: "Stripe live",
      secret,
      enable: [{ eventType: "invoice.paid", triggerName: "successfulPayment" }, { eventType: "customer.created" }],
    }),
  );
  const server = await createIngestServer(readIngestEnv({ ...environment.env, PORT: "0", ...overrides }));
  return {
    environment,
    server,
    db,
    box,
    workspaceId: workspace.id,
    endpointId: endpoint.id,
    secret,
    close: async () => {
      await server.close();
      await db.$disconnect();
      await environment.cleanup();
    },
  };
}
