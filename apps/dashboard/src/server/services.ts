import "server-only";
import { PrivilegedRoleError, checkServiceRole, createDb, type Db } from "@hookloop/db/client";
import { createMailer, type Mailer } from "@hookloop/mail";
import { connectProducer, openQueue, type TypedQueue } from "@hookloop/queue";
import { SecretBox, parseKeyring } from "@hookloop/secrets";
import type { Redis } from "ioredis";
import { env } from "../env";

type Services = {
  db: Db;
  box: SecretBox;
  redis: Redis;
  mailer: Mailer;
  deliveries: TypedQueue<"deliveries">;
  messages: TypedQueue<"messages">;
  imports: TypedQueue<"imports">;
};

const holder = globalThis as typeof globalThis & { hookloopServices?: Services };

/** The dashboard's database, secret box and queues, opened once per server process on first use. */
export function services(): Services {
  if (!holder.hookloopServices) {
    const settings = env();
    const redis = connectProducer(settings.REDIS_URL);
    holder.hookloopServices = {
      db: createDb({
        connectionString: settings.DATABASE_URL,
        refusePrivilegedRole: settings.NODE_ENV === "production",
        max: 10,
      }),
      box: new SecretBox(parseKeyring(settings.ENCRYPTION_KEYS)),
      redis,
      mailer: createMailer({ smtpUrl: settings.SMTP_URL, from: settings.MAIL_FROM, log: (line) => console.info(line) }),
      deliveries: openQueue("deliveries", { connection: redis, prefix: settings.REDIS_PREFIX }),
      messages: openQueue("messages", { connection: redis, prefix: settings.REDIS_PREFIX }),
      imports: openQueue("imports", { connection: redis, prefix: settings.REDIS_PREFIX }),
    };
  }
  return holder.hookloopServices;
}

/**
 * At server start (instrumentation.ts): a database login that could step outside row-level
 * security stops the dashboard in production, before it serves a page, and is warned of otherwise.
 */
export async function checkDatabaseRole(): Promise<void> {
  const settings = env();
  // A client of its own: instrumentation is bundled apart from the pages, so it shares no module state with them.
  const db = createDb({
    connectionString: settings.DATABASE_URL,
    refusePrivilegedRole: settings.NODE_ENV === "production",
    max: 1,
  });
  try {
    await checkServiceRole(db, (message) => console.warn(`[hookloop] ${message}`));
  } catch (error) {
    if (!(error instanceof PrivilegedRoleError)) throw error;
    console.error(`[hookloop] ${error.message}`);
    process.exit(1);
  } finally {
    await db.$disconnect();
  }
}
