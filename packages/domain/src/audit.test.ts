import { expect, test } from "vitest";
import { auditActorLabel, auditRetentionCutoff, auditUrl, secretInAuditDetails, type AuditDetails } from "./audit";

test("an actor reads as the person's email, the API key's name, the CLI or Hookloop", () => {
  expect(auditActorLabel({ kind: "user", userId: "u1", email: "maya@shop.example" })).toBe("maya@shop.example");
  expect(auditActorLabel({ kind: "api_key", apiKeyId: "k1", name: "Zapier" })).toBe("API key Zapier");
  expect(auditActorLabel({ kind: "cli" })).toBe("CLI");
  expect(auditActorLabel({ kind: "system" })).toBe("Hookloop");
});

test.each<[AuditDetails, string]>([
  [{ secret: "x" }, "details.secret"],
  [{ signingSecret: { value: "x" } }, "details.signingSecret"],
  [{ password: "hunter2" }, "details.password"],
  [{ key: "anything" }, "details.key"],
  [{ note: "whsec_abcdefghijklmnop" }, "details.note"],
  [{ list: ["ok", "hl_live_abcdefghijklmnopqrstuvwxyz"] }, "details.list[1]"],
  [{ deep: { deeper: { apiKey: "x" } } }, "details.deep.deeper.apiKey"],
])("details %j are refused at %s", (details, path) => {
  expect(secretInAuditDetails(details)).toBe(path);
});

test.each<AuditDetails>([
  { secretLast4: "abcd" },
  { secretSet: true, droppedSecretInGrace: true },
  { prefix: "hl_live_ab12", scope: "read-only" },
  { url: "https://crm.example/hooks", events: [{ eventType: "invoice.paid", enabled: true }] },
])("details %j are kept", (details) => {
  expect(secretInAuditDetails(details)).toBeNull();
});

test("a URL is kept without its credentials and query", () => {
  expect(auditUrl("https://user:pass@crm.example:8443/hooks/in?token=abc#x")).toBe("https://crm.example:8443/hooks/in");
  expect(auditUrl("not a url")).toBe("(not a URL)");
});

test("entries are kept 400 days", () => {
  expect(auditRetentionCutoff(new Date("2027-02-05T00:00:00Z")).toISOString()).toBe("2026-01-01T00:00:00.000Z");
});
