import { describe, expect, it } from "vitest";
import { returnPath } from "./return-path";

describe("the page a form returns to", () => {
  it.each([
    [
      "/endpoints/ep_abcdefghijklmnop?status=failed&after=2026-12-01",
      "/endpoints/ep_abcdefghijklmnop?status=failed&after=2026-12-01",
    ],
    ["/deliveries/0b0e7a2e-6b1d-4a8a-9a57-0c1f5b2f6a11", "/deliveries/0b0e7a2e-6b1d-4a8a-9a57-0c1f5b2f6a11"],
    ["/audience?q=ada%40example.com", "/audience?q=ada%40example.com"],
    ["/destinations/dst_1#log", "/destinations/dst_1"],
    ["/endpoints/../settings", "/settings"],
  ])("%s is one of the dashboard's own pages: %s", (input, expected) => {
    expect(returnPath(input)).toBe(expected);
  });

  it.each([
    "//evil.example",
    "//evil.example/endpoints",
    "/\\evil.example",
    "/\\/evil.example",
    "\\\\evil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%5Cevil.example",
    "https://evil.example/endpoints",
    "http:evil.example",
    "javascript:alert(document.domain)",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "evil.example",
    "endpoints",
    "",
    `/${"a".repeat(2048)}`,
  ])("%j leads elsewhere and is refused", (input) => {
    expect(returnPath(input)).toBeUndefined();
  });

  it("refuses what is not text", () => {
    expect(returnPath(undefined)).toBeUndefined();
    expect(returnPath(["/endpoints"])).toBeUndefined();
  });
});
