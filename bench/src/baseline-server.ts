// The HTTP baselines, one per process, on loopback: BASELINE=node-http | fastify-hello | fastify-echo | stripped.
// `stripped` does only what no webhook receiver can skip: verify the signature, parse, one queue.add.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { verifyStripeSignature } from "@hookloop/core";
import { parseStripeEvent } from "@hookloop/domain";
import { connectProducer, openQueue, waitForConnection } from "@hookloop/queue";
import Fastify from "fastify";

const mode = process.env.BASELINE;
const port = Number(process.env.PORT);
const host = "127.0.0.1";

if (mode === "node-http") {
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" }).end('{"hello":"world"}');
  });
  server.listen(port, host);
} else {
  const app = Fastify({ logger: false });
  if (mode === "fastify-hello") {
    app.get("/", async () => ({ hello: "world" }));
  } else {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));
    if (mode === "fastify-echo") {
      app.post("/webhooks/stripe/:endpointId", async (request, reply) => {
        const rawBody = typeof request.body === "string" ? request.body : "";
        return reply.code(200).send({ received: true, bytes: rawBody.length });
      });
    } else if (mode === "stripped") {
      const secret = process.env.BENCH_SECRET!;
      const workspaceId = process.env.BENCH_WORKSPACE_ID!;
      const producer = connectProducer(process.env.REDIS_URL!);
      await waitForConnection(producer);
      const queue = openQueue("deliveries", { connection: producer, prefix: process.env.REDIS_PREFIX });
      app.post("/webhooks/stripe/:endpointId", async (request, reply) => {
        const rawBody = typeof request.body === "string" ? request.body : "";
        const header = request.headers["stripe-signature"];
        const signature = verifyStripeSignature({
          rawBody,
          header: Array.isArray(header) ? header.join(",") : header,
          secrets: [secret],
        });
        if (!signature.ok) return reply.code(400).send({ error: signature.problem });
        const parsed = parseStripeEvent(rawBody);
        if (!parsed.ok) return reply.code(400).send({ error: "invalid_event" });
        const deliveryId = randomUUID();
        await queue.add(deliveryId, { deliveryId, workspaceId });
        return reply.code(200).send({ received: true, status: "queued" });
      });
    } else {
      throw new Error(`unknown BASELINE ${mode}`);
    }
  }
  await app.listen({ port, host });
}
process.once("SIGTERM", () => process.exit(0));
