import { readApiEnv } from "./env";
import { createApiServer } from "./server";

const env = readApiEnv();
const server = await createApiServer(env);
await server.app.listen({ port: env.PORT, host: env.HOST });

let closing = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    if (closing) return;
    closing = true;
    server.app.log.info({ signal }, "draining and shutting down");
    server.close().then(
      () => process.exit(0),
      (error) => {
        server.app.log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
