import "server-only";
import { createDb, type Db } from "@hookloop/db/client";
import { connectProducer, openQueue, type TypedQueue } from "@hookloop/queue";
import { SecretBox, parseKeyring } from "@hookloop/secrets";
import { env } from "../env";

type Services = { db: Db; box: SecretBox; deliveries: TypedQueue<"deliveries">; messages: TypedQueue<"messages"> };

const holder = globalThis as typeof globalThis & { hookloopServices?: Services };

/** The dashboard's database, secret box and queues, opened once per server process on first use. */
export function services(): Services {
  if (!holder.hookloopServices) {
    const settings = env();
    const redis = connectProducer(settings.REDIS_URL);
    holder.hookloopServices = {
      db: createDb({ connectionString: settings.DATABASE_URL, role: settings.DATABASE_ROLE, max: 10 }),
      box: new SecretBox(parseKeyring(settings.ENCRYPTION_KEYS)),
      deliveries: openQueue("deliveries", { connection: redis, prefix: settings.REDIS_PREFIX }),
      messages: openQueue("messages", { connection: redis, prefix: settings.REDIS_PREFIX }),
    };
  }
  return holder.hookloopServices;
}
