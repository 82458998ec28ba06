// The `api` fixture: the API server on the test file's database and Redis prefix, logging to
// memory; `newWorkspace` makes a workspace with an endpoint, keys, and contacts and trigger events
// made the way production makes them (recorded Stripe deliveries, applied by core).
import { Writable } from "node:stream";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { applyDelivery, createApiKey, createEndpoint, createWorkspace, revokeApiKey, withWorkspace } from "@hookloop/core";
import { recordTestDelivery, stripeEvent } from "@hookloop/testing";
import { test as baseTest } from "@hookloop/testing/fixtures";
import { readApiEnv } from "../src/env";
import { createApiServer, type ApiServer } from "../src/server";
import { openApiContract } from "./openapi-contract";

export type ApiHarness = ApiServer & {
  /** `app.inject`, each answer checked against the served OpenAPI document (openapi-contract.ts). */
  inject: (request: InjectOptions) => Promise<LightMyRequestResponse>;
  /** Every line the server logged so far. */
  logged: () => string;
  get: (url: string, key: string | undefined) => Promise<LightMyRequestResponse>;
};

export const test = baseTest
  .extend("apiRateLimit", { scope: "file" }, "600")
  .extend("api", { scope: "file" }, async ({ environment, apiRateLimit }, { onCleanup }) => {
    const lines: string[] = [];
    const logDestination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    const server = await createApiServer(
      readApiEnv({ ...environment.env, LOG_LEVEL: "info", PORT: "0", API_RATE_LIMIT_PER_MINUTE: apiRateLimit }),
      { logDestination },
    );
    onCleanup(() => server.close());
    const checkContract = openApiContract(server.app);
    const inject = async (request: InjectOptions) => {
      const response = await server.app.inject(request);
      checkContract(request, response);
      return response;
    };
    const harness: ApiHarness = {
      ...server,
      inject,
      logged: () => lines.join(""),
      get: (url, key) => inject({ url, headers: key ? { authorization: `Bearer ${key}` } : {} }),
    };
    return harness;
  })
  .extend("newWorkspace", ({ db, appDb, box }) => async (options: { contacts?: string[] } = {}) => {
    const workspace = await createWorkspace(appDb, { name: "Acme" });
    const workspaceId = workspace.id;
    const inWorkspace = <T>(work: Parameters<typeof withWorkspace<T>>[2]) => withWorkspace(appDb, workspaceId, work);
    const endpoint = await inWorkspace((tx) =>
      createEndpoint(tx, { box, workspaceId, name: "Stripe", enable: [{ eventType: "invoice.paid", triggerName: "paid" }] }),
    );
    const key = async (readOnly = false) =>
      (await inWorkspace((tx) => createApiKey(tx, { workspaceId, name: readOnly ? "read" : "write", readOnly }))).key;
    const revokedKey = async () => {
      const created = await inWorkspace((tx) => createApiKey(tx, { workspaceId, name: "old", readOnly: false }));
      await inWorkspace((tx) => revokeApiKey(tx, { workspaceId, apiKeyId: created.id }));
      return created.key;
    };
    /** A Stripe invoice.paid for this email, recorded and applied: a contact and a `paid` trigger event. */
    const pay = async (email: string, customerId = `cus_${email.split("@")[0]}`) => {
      const delivery = await recordTestDelivery(db, {
        workspaceId,
        endpointId: endpoint.id,
        event: stripeEvent("invoice.paid", { customerId, email }),
      });
      return applyDelivery(appDb, { deliveryId: delivery.id, workspaceId });
    };
    for (const email of options.contacts ?? []) await pay(email);
    return { workspaceId, endpointId: endpoint.id, inWorkspace, key, revokedKey, pay };
  });
