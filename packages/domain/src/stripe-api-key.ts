// The Stripe API key an endpoint's connection reads Stripe with: what a marketer pastes, checked
// with a message for each usual slip, and what its prefix says (restricted or secret, test or live).
import { z } from "zod";

/** What a restricted key needs for the import to read: each is "Read" in Stripe's key editor. */
export const stripeReadPermissions = ["Customers", "Subscriptions", "Invoices", "Products"] as const;

export type StripeKeyMode = "test" | "live";

export type StripeApiKey = {
  key: string;
  /** rk: a restricted key; sk: a secret key, which can do anything in the account. */
  kind: "rk" | "sk";
  mode: StripeKeyMode;
  last4: string;
  /** Said when the key works but a restricted one would be safer. */
  warning: string | null;
};

export const secretKeyWarning = `This is a secret key, which can change anything in your Stripe account. Hookloop only reads: prefer a restricted key with Read access to ${stripeReadPermissions.join(", ")}.`;

export const stripeApiKeySchema = z
  .string()
  .transform((value) => value.trim())
  .transform((value, context): StripeApiKey => {
    const fail = (message: string) => {
      context.addIssue({ code: "custom", message });
      return z.NEVER;
    };
    if (!value) return fail("Paste a Stripe restricted key; it starts with rk_test_ or rk_live_.");
    if (/\s/.test(value)) return fail("The key has spaces or line breaks inside it; copy it again from Stripe.");
    if (value.startsWith("whsec_")) {
      return fail(
        "That is a webhook signing secret (whsec_…): it goes in the signing secret field. Paste an API key here, rk_test_… or rk_live_….",
      );
    }
    if (/^pk_(test|live)_/.test(value)) {
      return fail(
        "That is a publishable key (pk_…), which cannot read customers. Paste a restricted key, rk_test_… or rk_live_….",
      );
    }
    const match = /^(rk|sk)_(test|live)_([A-Za-z0-9]{10,})$/.exec(value);
    if (!match)
      return fail("A Stripe restricted key starts with rk_test_ or rk_live_ (a secret key with sk_); copy it again from Stripe.");
    const kind = match[1] as "rk" | "sk";
    return {
      key: value,
      kind,
      mode: match[2] as StripeKeyMode,
      last4: value.slice(-4),
      warning: kind === "sk" ? secretKeyWarning : null,
    };
  });

/** A key is refused when its mode is not the endpoint's: a test key would import test customers into a live audience. */
export function modeMismatch(keyMode: StripeKeyMode, endpointMode: StripeKeyMode | null): string | null {
  if (!endpointMode || endpointMode === keyMode) return null;
  return `This is a ${keyMode} mode key, but this endpoint receives ${endpointMode} mode events: paste a ${endpointMode} mode key (rk_${endpointMode}_…).`;
}
