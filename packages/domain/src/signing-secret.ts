import { z } from "zod";

/** What a marketer pastes as the Stripe signing secret, checked with a message for each usual slip. */
export const signingSecretSchema = z
  .string()
  .transform((value) => value.trim())
  .superRefine((value, context) => {
    const fail = (message: string) => context.addIssue({ code: "custom", message });
    if (!value) return fail("Paste the signing secret from Stripe; it starts with whsec_.");
    if (/\s/.test(value)) return fail("The signing secret has spaces or line breaks inside it; copy it again from Stripe.");
    if (/^pk_(test|live)_/.test(value)) {
      return fail("That is a publishable API key (pk_…). Paste the webhook signing secret instead; it starts with whsec_.");
    }
    if (/^(sk|rk)_(test|live)_/.test(value)) {
      return fail("That is a secret API key — keep it private. Paste the webhook signing secret instead; it starts with whsec_.");
    }
    if (!value.startsWith("whsec_")) return fail("A Stripe signing secret starts with whsec_.");
    if (!/^whsec_[A-Za-z0-9+/=_-]{16,}$/.test(value)) {
      return fail("That signing secret is too short or has unexpected characters; copy it again from Stripe.");
    }
  });
