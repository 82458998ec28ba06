// `npm run hookloop -- <command> [flags]`: prints JSON; a usage error is one line on stderr, exit 2.
import { fileURLToPath } from "node:url";
import { InvalidInputError, NotFoundError } from "@hookloop/core";
import { checkServiceRole, createDb } from "@hookloop/db/client";
import { SecretBox, parseKeyring } from "@hookloop/secrets";
import { UsageError, commands, parseFlags } from "./commands";
import { readCliEnv } from "./env";

const usage = `usage: npm run hookloop -- <command>\n${Object.values(commands)
  .map((command) => `  ${command.usage}`)
  .join("\n")}`;

function fail(message: string, code = 2): never {
  process.stderr.write(`hookloop: ${message}\n`);
  process.exit(code);
}

const [name, ...args] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!name || name === "help" || name === "--help") {
  process.stdout.write(`${usage}\n`);
  process.exit(name ? 0 : 2);
}
if (!command) fail(`unknown command "${name}"; run "npm run hookloop -- help"`);

try {
  process.loadEnvFile(fileURLToPath(new URL("../../../.env", import.meta.url)));
} catch {
  // No .env: the environment alone must carry the settings.
}

let env;
let flags;
try {
  flags = parseFlags(args, command.flags);
  env = readCliEnv();
} catch (error) {
  fail(error instanceof Error ? error.message.replace(/\n\s*/g, " ") : String(error));
}

const db = createDb({ connectionString: env.DATABASE_URL, refusePrivilegedRole: env.NODE_ENV === "production", max: 2 });
try {
  await checkServiceRole(db, (message) => process.stderr.write(`hookloop: warning: ${message}\n`));
  const result = await command.run(flags, { db, box: new SecretBox(parseKeyring(env.ENCRYPTION_KEYS)), env });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} catch (error) {
  if (error instanceof UsageError || error instanceof InvalidInputError || error instanceof NotFoundError) fail(error.message);
  fail(`failed: ${error instanceof Error ? error.message : String(error)}`, 1);
} finally {
  await db.$disconnect();
}
