import type { FastifyPluginAsync } from "fastify";

export type ReadinessCheck = () => Promise<Record<string, string>>;

export const healthRoutes: FastifyPluginAsync<{ readiness: ReadinessCheck }> = async (scope, { readiness }) => {
  scope.get("/healthz", async () => ({ status: "ok" }));
  scope.get("/readyz", async (_request, reply) => {
    const checks = await readiness();
    const ready = Object.values(checks).every((value) => value === "ok");
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ok" : "unavailable", checks });
  });
};
