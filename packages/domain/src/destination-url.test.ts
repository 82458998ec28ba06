import { describe, expect, it } from "vitest";
import { destinationUrlSchema } from "./destination-url";

const publicOnly = destinationUrlSchema({ allowPrivateTargets: false });
const privateAllowed = destinationUrlSchema({ allowPrivateTargets: true });

const messageFor = (schema: typeof publicOnly, value: string) => {
  const result = schema.safeParse(value);
  return result.success ? null : result.error.issues[0]!.message;
};

describe("a destination URL", () => {
  it("is trimmed and normalised", () => {
    expect(publicOnly.parse("  https://Hooks.Example.com:443/hookloop?token=abc#part \n")).toBe(
      "https://hooks.example.com/hookloop?token=abc",
    );
    expect(publicOnly.parse("https://bücher.example/in")).toBe("https://xn--bcher-kva.example/in");
  });

  it.each([
    ["", "Enter the URL Hookloop should send messages to."],
    ["hooks.example.com/in", "Start the URL with https://, as in https://example.com/webhooks/hookloop."],
    ["https://hooks example.com/", "That is not a URL; it should look like https://example.com/webhooks/hookloop."],
    ["http://hooks.example.com/in", "Use an https:// URL: messages carry your contacts' details, so they travel encrypted."],
    ["ftp://hooks.example.com/in", "Use an https:// URL."],
    [
      "https://user:pass@hooks.example.com/in",
      "Leave the user name and password out of the URL: Hookloop signs every message instead.",
    ],
    [`https://example.com/${"x".repeat(2048)}`, "Keep the URL to 2048 characters or fewer."],
  ])("%j is refused with a plain message", (value, message) => {
    expect(messageFor(publicOnly, value)).toBe(message);
  });

  it("may be plain http where private targets are allowed", () => {
    expect(privateAllowed.parse("http://localhost:4000/in")).toBe("http://localhost:4000/in");
    expect(messageFor(privateAllowed, "ftp://localhost/in")).toBe("Use an https:// or http:// URL.");
  });
});
