import { pino } from "pino";
import { readWorkerEnv } from "./env";
import { startWorkerServer } from "./server";

const env = readWorkerEnv();
const logger = pino({ level: env.LOG_LEVEL });
const server = await startWorkerServer(env, logger);
logger.info({ health: server.healthUrl, concurrency: env.WORKER_CONCURRENCY }, "worker started");

let closing = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "draining in-flight jobs before exit");
    server.close().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
