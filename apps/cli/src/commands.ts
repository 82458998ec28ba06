// The admin CLI's commands: each parses its flags, calls one operation and returns what to print.
import { endpointUrl } from "@hookloop/config";
import {
  createApiKey,
  createDestination,
  createEndpoint,
  createWorkspace,
  connectStripe,
  ImportInProgressError,
  runImport,
  startImport,
  deleteEndpoint,
  eraseContact,
  findDestinationWorkspace,
  findEndpointWorkspace,
  listContacts,
  listDeliveries,
  listDestinations,
  listMessages,
  listTriggerEvents,
  renameEndpoint,
  rotateDestinationSecretsKey,
  rotateStripeKeysKey,
  rotateEncryptionKey,
  withWorkspace,
} from "@hookloop/core";
import type { Db } from "@hookloop/db/client";
import { cliActor } from "@hookloop/domain";
import type { SecretBox } from "@hookloop/secrets";
import type { CliEnv } from "./env";

export class UsageError extends Error {
  override name = "UsageError";
}

export type Flags = Record<string, string[]>;
export type CommandContext = { db: Db; box: SecretBox; env: CliEnv };

function one(flags: Flags, name: string, { required = true } = {}): string | undefined {
  const values = flags[name] ?? [];
  if (values.length > 1) throw new UsageError(`--${name} was given more than once`);
  if (required && !values[0]) throw new UsageError(`--${name} is required`);
  return values[0];
}

/** Where Stripe's API is and how fast the CLI may ask it. */
const stripeApi = (env: CliEnv) => ({ apiBase: env.STRIPE_API_BASE, requestsPerSecond: env.STRIPE_REQUESTS_PER_SECOND });

type Command = { usage: string; flags: readonly string[]; run: (flags: Flags, context: CommandContext) => Promise<unknown> };

export const commands: Record<string, Command> = {
  "workspace:create": {
    usage: "workspace:create --name NAME",
    flags: ["name"],
    run: (flags, { db }) => createWorkspace(db, { name: one(flags, "name")! }),
  },
  "endpoint:create": {
    usage:
      "endpoint:create --workspace ID --secret whsec_… [--name NAME] [--enable TYPE[=TriggerName]]… [--on-delete delete|unsubscribe]",
    flags: ["workspace", "secret", "name", "enable", "on-delete"],
    run: async (flags, { db, box, env }) => {
      const onDelete = one(flags, "on-delete", { required: false });
      if (onDelete !== undefined && onDelete !== "delete" && onDelete !== "unsubscribe") {
        throw new UsageError("--on-delete must be delete or unsubscribe");
      }
      // No --enable: the endpoint starts as the dashboard's do, with invoice.paid.
      const enable = flags.enable?.map((value) => {
        const [eventType = "", triggerName] = value.split("=", 2);
        return { eventType, triggerName: triggerName || null };
      });
      const workspaceId = one(flags, "workspace")!;
      const endpoint = await withWorkspace(db, workspaceId, (tx) =>
        createEndpoint(tx, {
          box,
          workspaceId,
          name: one(flags, "name", { required: false }) ?? "Stripe",
          secret: one(flags, "secret")!,
          ...(enable ? { enable } : {}),
          ...(onDelete ? { onCustomerDeleted: onDelete } : {}),
          actor: cliActor,
        }),
      );
      return { id: endpoint.id, url: endpointUrl(env.INGEST_PUBLIC_URL, endpoint.id) };
    },
  },
  "endpoint:rename": {
    usage: "endpoint:rename --endpoint ID --name NAME",
    flags: ["endpoint", "name"],
    run: async (flags, { db }) => {
      const endpointId = one(flags, "endpoint")!;
      const workspaceId = await findEndpointWorkspace(db, { endpointId });
      if (!workspaceId) throw new UsageError(`no endpoint ${endpointId}`);
      return withWorkspace(db, workspaceId, (tx) =>
        renameEndpoint(tx, { workspaceId, endpointId, name: one(flags, "name")!, actor: cliActor }),
      );
    },
  },
  "endpoint:delete": {
    usage: "endpoint:delete --endpoint ID",
    flags: ["endpoint"],
    run: async (flags, { db }) => {
      const endpointId = one(flags, "endpoint")!;
      const workspaceId = await findEndpointWorkspace(db, { endpointId });
      if (!workspaceId) throw new UsageError(`no endpoint ${endpointId}`);
      return withWorkspace(db, workspaceId, (tx) => deleteEndpoint(tx, { workspaceId, endpointId, actor: cliActor }));
    },
  },
  "contacts:list": {
    usage: "contacts:list --workspace ID",
    flags: ["workspace"],
    run: async (flags, { db }) => {
      const workspaceId = one(flags, "workspace")!;
      return (await withWorkspace(db, workspaceId, (tx) => listContacts(tx, { workspaceId, limit: 500 }))).contacts;
    },
  },
  "events:list": {
    usage: "events:list --workspace ID",
    flags: ["workspace"],
    run: (flags, { db }) => {
      const workspaceId = one(flags, "workspace")!;
      return withWorkspace(db, workspaceId, (tx) => listTriggerEvents(tx, { workspaceId, limit: 500 }));
    },
  },
  "deliveries:list": {
    usage: "deliveries:list --endpoint ID",
    flags: ["endpoint"],
    run: async (flags, { db }) => {
      const endpointId = one(flags, "endpoint")!;
      const workspaceId = await findEndpointWorkspace(db, { endpointId });
      if (!workspaceId) throw new UsageError(`no endpoint ${endpointId}`);
      return withWorkspace(db, workspaceId, (tx) => listDeliveries(tx, { workspaceId, endpointId, limit: 500 }));
    },
  },
  "destination:create": {
    usage: "destination:create --workspace ID --url URL [--name NAME] [--trigger NAME]… [--contact-changes]",
    flags: ["workspace", "url", "name", "trigger", "contact-changes"],
    run: async (flags, { db, box, env }) => {
      const workspaceId = one(flags, "workspace")!;
      const triggers = flags.trigger ?? [];
      // The signing secret is shown in full here, once; the dashboard can reveal it again.
      return withWorkspace(db, workspaceId, (tx) =>
        createDestination(tx, {
          box,
          workspaceId,
          name: one(flags, "name", { required: false }) ?? (URL.parse(one(flags, "url")!)?.host || "Destination"),
          url: one(flags, "url")!,
          triggers: triggers.length ? triggers : "all",
          contactChanges: flags["contact-changes"] !== undefined,
          allowPrivateTargets: env.DESTINATIONS_ALLOW_PRIVATE_TARGETS,
          actor: cliActor,
        }),
      );
    },
  },
  "destination:list": {
    usage: "destination:list --workspace ID",
    flags: ["workspace"],
    run: (flags, { db }) => {
      const workspaceId = one(flags, "workspace")!;
      return withWorkspace(db, workspaceId, (tx) => listDestinations(tx, { workspaceId }));
    },
  },
  "messages:list": {
    usage: "messages:list --destination ID   (newest first, each with its attempts)",
    flags: ["destination"],
    run: async (flags, { db }) => {
      const destinationId = one(flags, "destination")!;
      const workspaceId = await findDestinationWorkspace(db, { destinationId });
      if (!workspaceId) throw new UsageError(`no destination ${destinationId}`);
      return withWorkspace(db, workspaceId, (tx) => listMessages(tx, { workspaceId, destinationId, limit: 500 }));
    },
  },
  "contacts:erase": {
    usage: "contacts:erase --workspace ID --email EMAIL --requested-by WHO",
    flags: ["workspace", "email", "requested-by"],
    run: (flags, { db }) => {
      const workspaceId = one(flags, "workspace")!;
      return withWorkspace(db, workspaceId, (tx) =>
        eraseContact(tx, {
          workspaceId,
          email: one(flags, "email")!,
          requestedBy: one(flags, "requested-by")!,
          actor: cliActor,
        }),
      );
    },
  },
  "apikey:create": {
    usage: "apikey:create --workspace ID [--name NAME] [--read-only]   (the key is shown in full here, once)",
    flags: ["workspace", "name", "read-only"],
    run: async (flags, { db }) => {
      const workspaceId = one(flags, "workspace")!;
      const { id, key } = await withWorkspace(db, workspaceId, (tx) =>
        createApiKey(tx, {
          workspaceId,
          name: one(flags, "name", { required: false }) ?? "API key",
          readOnly: flags["read-only"] !== undefined,
          actor: cliActor,
        }),
      );
      return { id, key };
    },
  },
  "endpoint:connect": {
    usage: "endpoint:connect --endpoint ID --key rk_…   (tests the Stripe key against Stripe's API, then stores it sealed)",
    flags: ["endpoint", "key"],
    run: async (flags, { db, box, env }) => {
      const endpointId = one(flags, "endpoint")!;
      const workspaceId = await findEndpointWorkspace(db, { endpointId });
      if (!workspaceId) throw new UsageError(`no endpoint ${endpointId}`);
      const connected = await connectStripe(db, {
        workspaceId,
        endpointId,
        box,
        key: one(flags, "key")!,
        api: stripeApi(env),
        actor: cliActor,
      });
      return {
        endpoint: endpointId,
        account: { id: connected.accountId, name: connected.accountName },
        mode: connected.mode,
        key: `${connected.kind}_${connected.mode}_…${connected.last4}`,
        ...(connected.warning ? { warning: connected.warning } : {}),
      };
    },
  },
  "backfill:start": {
    usage:
      "backfill:start --endpoint ID   (imports the endpoint's existing Stripe customers, firing no trigger events: progress on stderr, then a JSON summary)",
    flags: ["endpoint"],
    run: async (flags, { db, box, env }) => {
      const endpointId = one(flags, "endpoint")!;
      const workspaceId = await findEndpointWorkspace(db, { endpointId });
      if (!workspaceId) throw new UsageError(`no endpoint ${endpointId}`);
      let importRunId: string;
      try {
        importRunId = (await withWorkspace(db, workspaceId, (tx) => startImport(tx, { workspaceId, endpointId }))).id;
      } catch (error) {
        // One left unfinished (a worker or CLI that died): taken over from its checkpoint once its lease lapsed.
        if (!(error instanceof ImportInProgressError) || !error.importRunId) throw error;
        importRunId = error.importRunId;
      }
      const startedAt = Date.now();
      const outcome = await runImport(db, {
        workspaceId,
        importRunId,
        box,
        api: stripeApi(env),
        // The CLI's pool has 2 connections.
        concurrency: 2,
        onProgress: (counts) =>
          process.stderr.write(
            `hookloop: ${counts.customersRead}/${counts.customersTotal ?? "?"} customers, ${counts.subscriptionsRead} subscriptions, ${counts.invoicesRead} paid invoices\n`,
          ),
        onRateLimited: (waitMs) => process.stderr.write(`hookloop: Stripe answered 429; waiting ${waitMs / 1000} s\n`),
      });
      if (outcome.status === "busy") {
        throw new UsageError(
          `an import of ${endpointId} is running elsewhere (held until ${outcome.leaseUntil.toISOString()}); cancel it in the dashboard or run this again later`,
        );
      }
      if (outcome.status === "failed") throw new Error(outcome.error ?? "the import failed");
      const seconds = (Date.now() - startedAt) / 1000;
      return {
        importRun: importRunId,
        status: outcome.status,
        ...outcome.counts,
        seconds: Math.round(seconds * 10) / 10,
        triggerEventsFired: 0,
      };
    },
  },
  "secrets:rotate-key": {
    usage: "secrets:rotate-key   (re-encrypts every signing secret under the first key of ENCRYPTION_KEYS)",
    flags: [],
    run: async (_flags, { db, box }) => ({
      ...(await rotateEncryptionKey(db, { box })),
      destinationsReencrypted: await rotateDestinationSecretsKey(db, { box }),
      stripeKeysReencrypted: await rotateStripeKeysKey(db, { box }),
    }),
  },
};

/** Flags that take no value: present or not. */
const switches = new Set(["contact-changes", "read-only"]);

/** `--flag value` and `--flag=value`, each flag repeatable, `--switch` alone; anything else is a usage error. */
export function parseFlags(args: readonly string[], allowed: readonly string[]): Flags {
  const flags: Flags = {};
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`unexpected argument "${arg}"`);
    const name = match[1]!;
    if (!allowed.includes(name)) throw new UsageError(`unknown flag --${name}`);
    if (switches.has(name)) {
      if (match[2] !== undefined) throw new UsageError(`--${name} takes no value`);
      (flags[name] ??= []).push("true");
      continue;
    }
    const value = match[2] ?? args[++index];
    if (value === undefined || (match[2] === undefined && value.startsWith("--")))
      throw new UsageError(`--${name} needs a value`);
    (flags[name] ??= []).push(value);
  }
  return flags;
}
