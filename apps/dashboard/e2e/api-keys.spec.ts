// An owner's API keys in Settings: a new key is shown in full once, then only by its prefix, and
// a revoked key stays listed as revoked.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { signUp } from "./accounts";

test("an owner creates a read-only key, sees it once, and revokes it", async ({ page }) => {
  await signUp(page, "Kim Keys", `kim-${randomBytes(4).toString("hex")}@keys.test`, "Keys", { from: "127.0.6.1" });
  await page.goto("/settings");
  await expect(page.getByText("No API keys yet.")).toBeVisible();

  await page.getByLabel("Key name").fill("Reporting");
  await page.getByLabel(/^Read-only/).check();
  await page.getByRole("button", { name: "Create key" }).click();

  const shown = page.getByTestId("new-api-key");
  await expect(shown).toContainText("it will not be shown again");
  const key = (await shown.locator("code").textContent()) ?? "";
  expect(key).toMatch(/^hl_live_[A-Za-z0-9_-]{43}$/);
  await expect(shown.getByRole("button", { name: "Copy key" })).toBeVisible();
  const row = page.getByTestId("api-key-row").filter({ hasText: "Reporting" });
  await expect(row).toContainText(`${key.slice(0, 12)}…`);
  await expect(row).toContainText("Read-only");
  await expect(row).toContainText("Never");

  await page.reload();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  await expect(row).toContainText(key.slice(0, 12));
  await expect(page.locator("body")).not.toContainText(key.slice(12));

  await row.getByRole("button", { name: "Revoke Reporting" }).click();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
  await page.reload();
  await expect(row).toContainText("Revoked");
});
