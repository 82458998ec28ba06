// The Stripe connection on the endpoint page, against the local fake of Stripe's API the runner
// starts (STRIPE_API_BASE, 120 seeded customers): a wrong key is explained, a good one connects and
// shows the account, and the import's progress bar runs to the end, with the contacts in the
// Audience and no trigger event fired.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { signUp } from "./accounts";

test("connect a Stripe key, import the existing customers, watch the bar finish and see the contacts", async ({ page }) => {
  const key = process.env.FAKE_STRIPE_KEY!;
  await signUp(page, "Stella Stripe", `stella-${randomBytes(4).toString("hex")}@import.test`, "Import", { from: "127.0.16.1" });
  await page.getByLabel("Name").fill("Stripe");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page).toHaveURL(/\/endpoints\/ep_/);

  const panel = page.getByRole("region", { name: "Stripe connection (optional)" });
  await expect(panel).toContainText("Read access to Customers, Subscriptions, Invoices, Products");
  await expect(panel).toContainText("Not connected.");

  // A key Stripe does not know: its answer, in words.
  await panel.getByLabel("Stripe restricted key").fill("rk_test_51SomeoneElsesKeyNotKnownHere");
  await panel.getByRole("button", { name: "Test connection and save" }).click();
  await expect(panel.getByText(/^Stripe refused this key \(Invalid API Key provided: rk_test_\*+Here\)/)).toBeVisible();
  await expect(panel).toContainText("Not connected.");

  await panel.getByLabel("Stripe restricted key").fill(key);
  await panel.getByRole("button", { name: "Test connection and save" }).click();
  await expect(panel.getByText("Connected to Fake Stripe Inc. (acct_1FakeHookloop) in test mode.")).toBeVisible();
  await expect(panel.getByTestId("stripe-connection")).toContainText(`rk_test_…${key.slice(-4)}`);
  await expect(page.locator("body")).not.toContainText(key);

  const start = panel.getByRole("button", { name: "Import existing customers (fires no trigger events)" });
  await start.click();
  const progress = panel.getByTestId("import-progress");
  await expect(progress).toContainText(/Import finished: 120 of 120 customers, 103 subscriptions, 180 paid invoices\./, {
    timeout: 60_000,
  });
  await expect(progress.getByRole("progressbar")).toHaveAttribute("value", "100");
  await expect(panel.getByRole("button", { name: "Import again (fires no trigger events)" })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/stripe-import.png", fullPage: true });

  // The contacts, with billing from the import: customer 4 is on Pro at $11.00 a month.
  await page.goto("/audience?q=customer4%40example.com");
  await expect(page.getByRole("row").filter({ hasText: "customer4@example.com" })).toContainText("Pro");
  await expect(page.getByRole("row").filter({ hasText: "customer4@example.com" })).toContainText("$11.00");
  for (const email of ["customer0@example.com", "customer119@example.com"]) {
    await page.goto(`/audience?q=${encodeURIComponent(email)}`);
    await expect(page.getByRole("row").filter({ hasText: email })).toBeVisible();
  }
  await page.goto("/events");
  await expect(page.getByText("No trigger events yet.", { exact: false })).toBeVisible();
});
