// An ingest server with one workspace and endpoint: the `ingest` fixture, on the test file's own
// database and Redis prefix, or `startIngestHarness` on fresh ones, for a test that points ingest at
// a backing service that is down.
import { createEndpoint, createWorkspace, withWorkspace } from "@hookloop/core";
import { createDb, type Db } from "@hookloop/db/client";
import { SecretBox, parseKeyring } from "@hookloop/secrets";
import { createTestEnvironment, newTestSigningSecret, type TestEnvironment } from "@hookloop/testing";
import { test as baseTest } from "@hookloop/testing/fixtures";
import { readIngestEnv } from "../src/env";
import { createIngestServer, type IngestServer, type IngestServerOptions } from "../src/server";

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

/**
 * On fresh database and Redis prefix, all dropped by `close`; `overrides` go to ingest's
 * environment, `serverOptions` to `createIngestServer`.
 */
export async function startIngestHarness(
  overrides: Record<string, string> = {},
  serverOptions: IngestServerOptions = {},
): Promise<IngestHarness> {
  const environment = await createTestEnvironment();
  const db = createDb({ connectionString: environment.databaseUrl, max: 4 });
  const box = new SecretBox(parseKeyring(environment.encryptionKeys));
  const ingest = await startIngest({ environment, db, box }, overrides, serverOptions);
  return {
    ...ingest,
    close: async () => {
      await ingest.close();
      await db.$disconnect();
      await environment.cleanup();
    },
  };
}

/** The file's ingest server, on the file's database (`db`, as its owner) and Redis prefix. */
export const test = baseTest.extend("ingest", { scope: "file" }, async ({ environment, db, box }, { onCleanup }) => {
  const ingest = await startIngest({ environment, db, box });
  onCleanup(() => ingest.close());
  return ingest;
});

async function startIngest(
  { environment, db, box }: { environment: TestEnvironment; db: Db; box: SecretBox },
  overrides: Record<string, string> = {},
  serverOptions: IngestServerOptions = {},
): Promise<IngestHarness> {
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
  const server = await createIngestServer(readIngestEnv({ ...environment.env, PORT: "0", ...overrides }), serverOptions);
  return {
    environment,
    server,
    db,
    box,
    workspaceId: workspace.id,
    endpointId: endpoint.id,
    secret,
    close: () => server.close(),
  };
}
