import { describe, expect, it } from "vitest";
import { signingSecretSchema } from "./signing-secret";
import { triggerNameSchema } from "./trigger-name";

const messageFor = (schema: typeof signingSecretSchema | typeof triggerNameSchema, value: string) => {
  const result = schema.safeParse(value);
  return result.success ? null : result.error.issues[0]!.message;
};

describe("a pasted signing secret", () => {
  it("is trimmed of the whitespace a copy often brings along", () => {
    expect(signingSecretSchema.parse("  whsec_abcdefghijklmnop0123\n")).toBe("whsec_abcdefghijklmnop0123");
  });

  it.each([
    ["", "Paste the signing secret from Stripe; it starts with whsec_."],
    ["   \n", "Paste the signing secret from Stripe; it starts with whsec_."],
    ["whsec_abc 123456789012345678", "The signing secret has spaces or line breaks inside it; copy it again from Stripe."],
    ["whsec_abc\n123456789012345678", "The signing secret has spaces or line breaks inside it; copy it again from Stripe."],
    [
      "pk_test_51Habcdefghijklmnop",
      "That is a publishable API key (pk_…). Paste the webhook signing secret instead; it starts with whsec_.",
    ],
    [
      "pk_live_51Habcdefghijklmnop",
      "That is a publishable API key (pk_…). Paste the webhook signing secret instead; it starts with whsec_.",
    ],
    [
      "sk_live_51Habcdefghijklmnop",
      "That is a secret API key — keep it private. Paste the webhook signing secret instead; it starts with whsec_.",
    ],
    [
      "rk_test_51Habcdefghijklmnop",
      "That is a secret API key — keep it private. Paste the webhook signing secret instead; it starts with whsec_.",
    ],
    ["hello", "A Stripe signing secret starts with whsec_."],
    ["whsec_short", "That signing secret is too short or has unexpected characters; copy it again from Stripe."],
    ["whsec_abcdefghijklmnop0123…", "That signing secret is too short or has unexpected characters; copy it again from Stripe."],
  ])("%j is refused with a plain message", (value, message) => {
    expect(messageFor(signingSecretSchema, value)).toBe(message);
  });
});

describe("a trigger event name", () => {
  it.each(["successfulPayment", "payment_failed", "checkout-completed", "Plan2"])("%j is accepted", (value) => {
    expect(messageFor(triggerNameSchema, value)).toBeNull();
  });

  it.each([
    ["", "Give the trigger event a name."],
    ["successful payment!", "Use only letters, digits, _ and - in a trigger event name."],
    ["paid.invoice", "Use only letters, digits, _ and - in a trigger event name."],
    ["x".repeat(65), "Keep the trigger event name to 64 characters or fewer."],
  ])("%j is refused with a plain message", (value, message) => {
    expect(messageFor(triggerNameSchema, value)).toBe(message);
  });
});
