import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { newDestinationSecret } from "./destination-secret";

describe("a new destination secret", () => {
  it("is whsec_ and 32 random bytes in base64, as the Standard Webhooks libraries read it", () => {
    const secret = newDestinationSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice("whsec_".length), "base64")).toHaveLength(32);
    expect(() => new Webhook(secret)).not.toThrow();
  });

  it("is never the same twice", () => {
    expect(new Set(Array.from({ length: 100 }, newDestinationSecret)).size).toBe(100);
  });
});
