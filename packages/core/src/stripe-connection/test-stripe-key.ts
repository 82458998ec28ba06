import { modeMismatch, stripeApiKeySchema, stripeReadPermissions, type StripeKeyMode } from "@hookloop/domain";
import Stripe from "stripe";
import { InvalidInputError } from "../errors";
import { createStripeClient, withRateLimitRetry, type StripeApiSettings } from "../stripe/stripe-api";

export type TestStripeKeyOptions = {
  key: string;
  api: StripeApiSettings;
  /** The endpoint's mode, when it has one; a key of the other mode is refused. Endpoints have none yet. */
  endpointMode?: StripeKeyMode | null;
};

export type StripeKeyCheck = {
  accountId: string;
  accountName: string | null;
  mode: StripeKeyMode;
  kind: "rk" | "sk";
  last4: string;
  warning: string | null;
};

/** What Stripe refused or could not answer, in words for the person who pasted the key. */
export class StripeConnectionError extends InvalidInputError {
  override name = "StripeConnectionError";
  constructor(message: string) {
    super(message, "key");
  }
}

const permissions = stripeReadPermissions.join(", ");

function explain(error: unknown, apiBase: string): StripeConnectionError {
  if (error instanceof Stripe.errors.StripeAuthenticationError) {
    return new StripeConnectionError(
      `Stripe refused this key (${error.message}). Copy the whole key again from Stripe's Developers → API keys; it may have been revoked or rolled.`,
    );
  }
  if (error instanceof Stripe.errors.StripePermissionError) {
    return new StripeConnectionError(
      `This key may not read everything the import needs (${error.message}). Give the restricted key Read access to ${permissions}.`,
    );
  }
  if (error instanceof Stripe.errors.StripeConnectionError) {
    return new StripeConnectionError(`Hookloop could not reach Stripe at ${apiBase}; try again in a minute.`);
  }
  if (error instanceof Stripe.errors.StripeError) {
    return new StripeConnectionError(`Stripe answered ${error.statusCode ?? "an error"}: ${error.message}`);
  }
  throw error;
}

/**
 * "Test connection": checks the key's shape, then asks Stripe, through the official SDK, for the
 * account and for one customer, subscription, invoice and product, so a restricted key missing a
 * read permission is told now rather than halfway through an import.
 */
export async function testStripeKey(options: TestStripeKeyOptions): Promise<StripeKeyCheck> {
  const parsed = stripeApiKeySchema.safeParse(options.key);
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues[0]?.message ?? "Invalid Stripe key.", "key");
  const { key, kind, mode, last4, warning } = parsed.data;
  const mismatch = modeMismatch(mode, options.endpointMode ?? null);
  if (mismatch) throw new StripeConnectionError(mismatch);
  const client = createStripeClient(key, { ...options.api, maxNetworkRetries: 1, rateLimitRetries: 2 });
  try {
    const account = await withRateLimitRetry(client, () => client.stripe.accounts.retrieve(null));
    await withRateLimitRetry(client, () => client.stripe.customers.list({ limit: 1 }));
    await withRateLimitRetry(client, () => client.stripe.subscriptions.list({ limit: 1, status: "all" }));
    await withRateLimitRetry(client, () => client.stripe.invoices.list({ limit: 1 }));
    await withRateLimitRetry(client, () => client.stripe.products.list({ limit: 1 }));
    const accountName = account.settings?.dashboard?.display_name || account.business_profile?.name || null;
    return { accountId: account.id, accountName, mode, kind, last4, warning };
  } catch (error) {
    throw explain(error, options.api.apiBase);
  }
}
