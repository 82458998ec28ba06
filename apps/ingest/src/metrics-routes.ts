import type { FastifyPluginAsync } from "fastify";
import type { IngestMetrics } from "./metrics";

export const metricsRoutes: FastifyPluginAsync<{ metrics: IngestMetrics }> = async (scope, { metrics }) => {
  scope.get("/metrics", async (_request, reply) =>
    reply.header("content-type", metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
};
