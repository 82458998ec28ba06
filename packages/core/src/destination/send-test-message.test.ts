// Sends a test message to a real local receiver that verifies it with the Standard Webhooks library.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { expect } from "vitest";
import { destinationMessageSchema } from "@hookloop/domain";
import { test } from "@hookloop/testing/fixtures";
import { NotFoundError } from "../errors";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { createDestination } from "./create-destination";
import { sendTestMessage } from "./send-test-message";

test("a test message is signed and sent like a real one, its answer returned, and nothing recorded", async ({
  appDb,
  db,
  box,
  onTestFinished,
}) => {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(202, { "content-type": "text/plain" }).end("queued in the CRM");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const workspace = await createWorkspace(appDb, { name: "Acme" });
  const workspaceId = workspace.id;
  const { id: destinationId, secret } = await withWorkspace(appDb, workspaceId, (tx) =>
    createDestination(tx, {
      box,
      workspaceId,
      name: "CRM",
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
      triggers: ["successfulPayment"],
      contactChanges: false,
      allowPrivateTargets: true,
    }),
  );

  const sent = await sendTestMessage(appDb, { workspaceId, destinationId, box, allowPrivateTargets: true });
  expect(sent.attempt).toMatchObject({ status: 202, responseBody: "queued in the CRM", error: null, outcome: "delivered" });
  expect(received).toHaveLength(1);
  const verified = new Webhook(secret).verify(received[0]!.body, received[0]!.headers as Record<string, string>);
  const message = destinationMessageSchema.parse(verified);
  expect(message).toMatchObject({ type: "trigger.fired", id: sent.messageId, workspace: { id: workspaceId } });
  expect(message.type === "trigger.fired" && message.trigger.name).toBe("successfulPayment");
  expect(received[0]!.headers["webhook-id"]).toBe(sent.messageId);
  expect(await db.message.count({ where: { destinationId } })).toBe(0);

  // Private targets refused: the attempt says why, and nothing reaches the receiver.
  const refused = await sendTestMessage(appDb, { workspaceId, destinationId, box, allowPrivateTargets: false });
  expect(refused.attempt).toMatchObject({ status: null, outcome: "retry" });
  expect(refused.attempt.error).toMatch(/Use an https:\/\/ URL/);
  expect(received).toHaveLength(1);

  const other = await createWorkspace(appDb, { name: "Other" });
  await expect(sendTestMessage(appDb, { workspaceId: other.id, destinationId, box, allowPrivateTargets: true })).rejects.toThrow(
    NotFoundError,
  );
  expect(received).toHaveLength(1);
});
