// Runs one import of an endpoint's existing Stripe customers into the contact history: customers
// through the SDK's auto-pagination, newest first, 100 a page; for each, their subscriptions (every
// status, each price's product fetched once per run so plans are named by product) and their paid
// invoices; each record written with applyContactChange as a snapshot dated when it was read, so
// a webhook newer than the read wins and an older one does not overwrite it, and with no trigger
// events. Progress and the checkpoint (the page's last customer) are written after every page, in
// the transaction that renews the run's lease and reads whether it was canceled, so a run that
// dies resumes after its last whole page; history ids are the run's and the object's, so records
// read again after a resume are written once.
import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "@hookloop/db/client";
import {
  importEventId,
  importedCustomer,
  importedPaidInvoice,
  importedSubscription,
  type ImportedChange,
} from "@hookloop/domain";
import type { SecretBox } from "@hookloop/secrets";
import pLimit from "p-limit";
import Stripe from "stripe";
import { applyContactChange } from "../contact/apply-contact-change";
import { ContactNotResolvableError } from "../contact/contact-history";
import { NotFoundError } from "../errors";
import { openStripeKey } from "../stripe-connection/stripe-connection-secret";
import {
  createStripeClient,
  isRateLimited,
  withRateLimitRetry,
  type StripeApiSettings,
  type StripeClient,
} from "../stripe/stripe-api";
import { withWorkspace } from "../workspace/with-workspace";

export type ImportCounts = {
  customersTotal: number | null;
  customersRead: number;
  subscriptionsRead: number;
  invoicesRead: number;
  skipped: number;
};

export type RunImportOptions = {
  workspaceId: string;
  importRunId: string;
  /** Opens the connection's Stripe key. */
  box: SecretBox;
  api: StripeApiSettings;
  /** How long the run is held between two pages before another worker may take it over (default 60 s). */
  leaseMs?: number;
  /** Customers read and written at once within a page (default 4). */
  concurrency?: number;
  /** Customers a page (default 100, Stripe's most). */
  pageSize?: number;
  /** Hears the counts after each page. */
  onProgress?: (counts: ImportCounts) => void;
  /** Hears each 429 Stripe answered and how long the import waits. */
  onRateLimited?: (waitMs: number) => void;
  /** Aborted when the process shuts down: the run stops after its page and lets go of its lease, to resume elsewhere. */
  signal?: AbortSignal;
  /** The destination messages (contact changes) the writes recorded, to queue once committed; the relay queues them otherwise. */
  onMessages?: (messageIds: string[]) => Promise<void>;
};

export type ImportOutcome =
  | { status: "succeeded" | "canceled" | "failed"; counts: ImportCounts; error?: string }
  /** Another worker holds the run until then (or took it over meanwhile), or this one stopped it to shut down: run it again then. */
  | { status: "busy"; leaseUntil: Date };

const DEFAULT_LEASE_MS = 60_000;

/**
 * An SDK object as Stripe sent it: the SDK turns decimal strings (unit_amount_decimal) into Decimal
 * objects, which write themselves back as the strings the domain's schemas (a webhook's JSON) expect.
 */
const asSent = (object: object): unknown => JSON.parse(JSON.stringify(object));

type Claimed = { leaseUntil: Date; checkpoint: string | null; counts: ImportCounts; syncNames: boolean; key: string };

function countsOf(run: {
  customersTotal: number | null;
  customersRead: number;
  subscriptionsRead: number;
  invoicesRead: number;
  skipped: number;
}): ImportCounts {
  const { customersTotal, customersRead, subscriptionsRead, invoicesRead, skipped } = run;
  return { customersTotal, customersRead, subscriptionsRead, invoicesRead, skipped };
}

async function finish(
  db: Db,
  options: Pick<RunImportOptions, "workspaceId" | "importRunId">,
  status: "succeeded" | "canceled" | "failed",
  error?: string,
) {
  await withWorkspace(db, options.workspaceId, async (tx) => {
    await tx.importRun.update({
      where: { id: options.importRunId },
      data: { status, finishedAt: new Date(), leaseUntil: null, ...(error ? { error } : {}) },
    });
    await tx.importOutbox.deleteMany({ where: { importRunId: options.importRunId } });
  });
}

/** Marks a run failed for good (its job's last attempt threw), saying why. */
export async function markImportFailed(db: Db, options: { workspaceId: string; importRunId: string; error: string }) {
  await finish(db, options, "failed", options.error.slice(0, 500));
}

type ClaimResult = { claimed: Claimed } | { outcome: ImportOutcome };

async function claim(db: Db, options: RunImportOptions, leaseMs: number): Promise<ClaimResult> {
  const { workspaceId, importRunId, box } = options;
  const result = await withWorkspace(
    db,
    workspaceId,
    async (tx): Promise<ClaimResult | { finish: "canceled" | "failed"; error?: string; counts: ImportCounts }> => {
      const run = await tx.importRun.findFirst({
        where: { id: importRunId, workspaceId },
        include: { endpoint: { select: { syncNames: true, stripeConnection: true } } },
      });
      if (!run) throw new NotFoundError("import");
      const counts = countsOf(run);
      if (run.status !== "queued" && run.status !== "running") {
        return { outcome: { status: run.status, counts, ...(run.error ? { error: run.error } : {}) } };
      }
      const now = new Date();
      if (run.leaseUntil && run.leaseUntil > now) return { outcome: { status: "busy", leaseUntil: run.leaseUntil } };
      if (run.cancelRequestedAt) return { finish: "canceled", counts };
      const connection = run.endpoint.stripeConnection;
      if (!connection) {
        return {
          finish: "failed",
          counts,
          error: "The endpoint's Stripe connection was removed, so the import could not go on.",
        };
      }
      const leaseUntil = new Date(now.getTime() + leaseMs);
      // Only one claimer wins a lapsed lease: the update names the lease it saw.
      const { count } = await tx.importRun.updateMany({
        where: { id: importRunId, leaseUntil: run.leaseUntil, status: { in: ["queued", "running"] } },
        data: { status: "running", leaseUntil, startedAt: run.startedAt ?? now },
      });
      if (!count) return { outcome: { status: "busy", leaseUntil } };
      return {
        claimed: {
          leaseUntil,
          checkpoint: run.checkpoint,
          counts,
          syncNames: run.endpoint.syncNames,
          key: openStripeKey(box, connection),
        },
      };
    },
  );
  if ("finish" in result) {
    await finish(db, options, result.finish, result.error);
    return { outcome: { status: result.finish, counts: result.counts, ...(result.error ? { error: result.error } : {}) } };
  }
  return result;
}

type PageResult = { go: true } | { go: false; outcome: ImportOutcome };

/**
 * Runs the import until it is done, canceled, or taken over; throws what it cannot get past
 * (Stripe or Postgres unreachable after the retries) with its checkpoint kept, for the job's next
 * attempt, or another worker once the lease lapses, to resume from.
 */
export async function runImport(db: Db, options: RunImportOptions): Promise<ImportOutcome> {
  const { workspaceId, importRunId } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const pageSize = options.pageSize ?? 100;
  const claimed = await claim(db, options, leaseMs);
  if ("outcome" in claimed) return claimed.outcome;
  let { leaseUntil, checkpoint } = claimed.claimed;
  const { syncNames, key } = claimed.claimed;
  const counts = { ...claimed.claimed.counts };
  const client = createStripeClient(key, options.api);
  const limit = pLimit(options.concurrency ?? 4);
  const products = new Map<string, Promise<Stripe.Product | Stripe.DeletedProduct>>();

  const write = async (change: ImportedChange | null, readAt: Date): Promise<boolean> => {
    if (!change) return false;
    try {
      const outcome = await applyContactChange(db, {
        workspaceId,
        eventId: importEventId(importRunId, change.objectId),
        created: readAt,
        customerId: change.customerId,
        email: change.email,
        ...(change.name ? { name: change.name } : {}),
        authoritative: change.authoritative,
        billing: change.billing,
        origin: "import",
      });
      if (outcome.status === "erased") return false;
      if (outcome.messageIds.length) await options.onMessages?.(outcome.messageIds);
      return true;
    } catch (error) {
      // A customer with no email, and no contact to find through them: nothing to write.
      if (error instanceof ContactNotResolvableError) return false;
      throw error;
    }
  };

  const productOf = (id: string) => {
    let product = products.get(id);
    if (!product) {
      product = withRateLimitRetry(client, () => client.stripe.products.retrieve(id), options.onRateLimited);
      products.set(id, product);
      product.catch(() => products.delete(id));
    }
    return product;
  };

  /**
   * Each item's product in place of its id, so the plan is the product's name when the price has no
   * nickname. Fetched, not expanded: data.items.data.price.product is five levels, and Stripe
   * expands at most four.
   */
  async function withProducts(subscription: Stripe.Subscription): Promise<Stripe.Subscription> {
    for (const item of subscription.items.data) {
      const product = item.price.product;
      if (typeof product === "string") item.price.product = await productOf(product);
    }
    return subscription;
  }

  const everyPage = <T>(list: () => Stripe.ApiListPromise<T>) =>
    withRateLimitRetry(client, () => list().autoPagingToArray({ limit: 10_000 }), options.onRateLimited);

  async function importCustomer(customer: Stripe.Customer) {
    const page = { subscriptions: 0, invoices: 0, skipped: 0 };
    if (!(await write(importedCustomer(asSent(customer), { syncNames }), new Date()))) page.skipped++;
    const subscriptions = await everyPage(() =>
      client.stripe.subscriptions.list({ customer: customer.id, status: "all", limit: 100 }),
    );
    const subscriptionsReadAt = new Date();
    for (const subscription of subscriptions) {
      page.subscriptions++;
      const change = importedSubscription(asSent(await withProducts(subscription)), customer.id);
      if (!(await write(change, subscriptionsReadAt))) page.skipped++;
    }
    const invoices = await everyPage(() => client.stripe.invoices.list({ customer: customer.id, status: "paid", limit: 100 }));
    const invoicesReadAt = new Date();
    for (const invoice of invoices) {
      page.invoices++;
      if (!(await write(importedPaidInvoice(asSent(invoice), customer.id, invoicesReadAt), invoicesReadAt))) page.skipped++;
    }
    return page;
  }

  /** Writes a page's customers, then records its counts and checkpoint, renews the lease and reads a cancel. */
  async function importPage(customers: Stripe.Customer[]): Promise<PageResult> {
    // Every customer's work ends before the page's outcome is known, so a failed page leaves none running.
    const settled = await Promise.allSettled(customers.map((customer) => limit(() => importCustomer(customer))));
    const failed = settled.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    const pages = settled.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    const added = {
      customersRead: customers.length,
      subscriptionsRead: pages.reduce((sum, page) => sum + page.subscriptions, 0),
      invoicesRead: pages.reduce((sum, page) => sum + page.invoices, 0),
      skipped: pages.reduce((sum, page) => sum + page.skipped, 0),
    };
    const last = customers.at(-1)!.id;
    const renewed = new Date(Date.now() + leaseMs);
    const state = await withWorkspace(db, workspaceId, async (tx) => {
      const { count } = await tx.importRun.updateMany({
        where: { id: importRunId, leaseUntil, status: "running" },
        data: {
          checkpoint: last,
          leaseUntil: renewed,
          customersRead: { increment: added.customersRead },
          subscriptionsRead: { increment: added.subscriptionsRead },
          invoicesRead: { increment: added.invoicesRead },
          skipped: { increment: added.skipped },
        },
      });
      if (!count) return "lost" as const;
      const run = await tx.importRun.findUniqueOrThrow({
        where: { id: importRunId },
        select: { cancelRequestedAt: true, endpoint: { select: { stripeConnection: { select: { endpointId: true } } } } },
      });
      if (run.cancelRequestedAt) return "canceled" as const;
      return run.endpoint.stripeConnection ? ("go" as const) : ("disconnected" as const);
    });
    if (state === "lost") return { go: false, outcome: { status: "busy", leaseUntil: renewed } };
    leaseUntil = renewed;
    checkpoint = last;
    counts.customersRead += added.customersRead;
    counts.subscriptionsRead += added.subscriptionsRead;
    counts.invoicesRead += added.invoicesRead;
    counts.skipped += added.skipped;
    options.onProgress?.({ ...counts });
    if (state === "canceled") {
      await finish(db, options, "canceled");
      return { go: false, outcome: { status: "canceled", counts: { ...counts } } };
    }
    if (state === "go" && options.signal?.aborted) {
      await withWorkspace(db, workspaceId, (tx) =>
        tx.importRun.updateMany({ where: { id: importRunId, leaseUntil }, data: { leaseUntil: null } }),
      );
      return { go: false, outcome: { status: "busy", leaseUntil: new Date() } };
    }
    if (state === "disconnected") {
      const error = "The endpoint's Stripe connection was removed, so the import stopped.";
      await finish(db, options, "failed", error);
      return { go: false, outcome: { status: "failed", counts: { ...counts }, error } };
    }
    return { go: true };
  }

  async function importAll(): Promise<ImportOutcome> {
    if (counts.customersTotal === null) {
      counts.customersTotal = await countCustomers(client, options.onRateLimited);
      await withWorkspace(db, workspaceId, (tx) =>
        tx.importRun.update({ where: { id: importRunId }, data: { customersTotal: counts.customersTotal } }),
      );
      options.onProgress?.({ ...counts });
    }

    async function restartFromTop(): Promise<boolean> {
      const { count } = await withWorkspace(db, workspaceId, (tx) =>
        tx.importRun.updateMany({
          where: { id: importRunId, leaseUntil, status: "running" },
          data: { checkpoint: null, customersRead: 0, subscriptionsRead: 0, invoicesRead: 0, skipped: 0 },
        }),
      );
      if (!count) return false;
      checkpoint = null;
      Object.assign(counts, { customersRead: 0, subscriptionsRead: 0, invoicesRead: 0, skipped: 0 });
      options.onProgress?.({ ...counts });
      return true;
    }

    const rateLimitRetries = client.settings.rateLimitRetries ?? 8;
    for (let attempt = 0; ;) {
      try {
        let page: Stripe.Customer[] = [];
        const customers = client.stripe.customers.list({
          limit: pageSize,
          ...(checkpoint ? { starting_after: checkpoint } : {}),
        });
        for await (const customer of customers) {
          page.push(customer);
          if (page.length < pageSize) continue;
          const result = await importPage(page);
          page = [];
          attempt = 0;
          if (!result.go) return result.outcome;
        }
        if (page.length) {
          const result = await importPage(page);
          if (!result.go) return result.outcome;
        }
        break;
      } catch (error) {
        if (checkpoint && isMissingCheckpoint(error)) {
          // The checkpoint's customer was deleted in Stripe meanwhile, so Stripe cannot page after
          // it: start again from the top. What was written is written once (the same history ids);
          // the counts start again so they end true.
          if (!(await restartFromTop())) return { status: "busy", leaseUntil };
          continue;
        }
        // A 429 breaks the auto-pagination: wait as Stripe asks, then page on from the checkpoint.
        if (!isRateLimited(error) || attempt >= rateLimitRetries) throw error;
        const retryAfter = Number(error.headers?.["retry-after"]);
        const waitMs = Number.isFinite(retryAfter) ? Math.min(retryAfter, 60) * 1000 : Math.min(1000 * 2 ** attempt, 30_000);
        attempt++;
        options.onRateLimited?.(waitMs);
        await sleep(waitMs);
      }
    }
    await finish(db, options, "succeeded");
    return { status: "succeeded", counts: { ...counts } };
  }

  try {
    return await importAll();
  } catch (error) {
    // Lets go of the run (when still its holder), so the job's retry resumes it from its checkpoint
    // at once rather than after the lease; a process killed outright leaves that to the lease.
    await withWorkspace(db, workspaceId, (tx) =>
      tx.importRun.updateMany({ where: { id: importRunId, leaseUntil, status: "running" }, data: { leaseUntil: null } }),
    ).catch(() => undefined);
    throw error;
  }
}

/** Stripe's answer to `starting_after` naming an object it no longer has. */
const isMissingCheckpoint = (error: unknown) =>
  error instanceof Stripe.errors.StripeInvalidRequestError &&
  error.code === "resource_missing" &&
  error.param === "starting_after";

/** How many customers Stripe lists, for the progress bar: ids only, 100 a page. */
async function countCustomers(client: StripeClient, onRateLimited?: (waitMs: number) => void): Promise<number> {
  return withRateLimitRetry(
    client,
    async () => {
      let count = 0;
      for await (const _customer of client.stripe.customers.list({ limit: 100 })) count++;
      return count;
    },
    onRateLimited,
  );
}
