// The audit log in Settings: an owner changes an endpoint's settings, sets and rotates its signing
// secret, invites someone and makes an API key, then finds each change with who made it, narrows
// the list with the filters, and exports it as CSV, with no secret anywhere.
import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { createAccount, linkIn, mailTo, signUp } from "./accounts";

const suffix = randomBytes(4).toString("hex");
const owner = `audra-${suffix}@audit.test`;
const firstSecret = `whsec_${randomBytes(24).toString("hex")}`;
const secondSecret = `whsec_${randomBytes(24).toString("hex")}`;

test("an owner sees who changed an endpoint's settings and rotated its secret, filters the log and exports it", async ({
  page,
}) => {
  await signUp(page, "Audra Audit", owner, "Audited", { from: "127.0.15.1" });

  await page.getByLabel("Name").fill("Stripe live");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page).toHaveURL(/\/endpoints\/ep_/);

  const secretField = page.getByLabel("Signing secret", { exact: true });
  await secretField.fill(firstSecret);
  await page.getByRole("button", { name: "Save secret" }).click();
  await expect(page.getByText(`Saved the signing secret ending in ${firstSecret.slice(-4)}.`)).toBeVisible();
  await secretField.fill(secondSecret);
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await expect(page.getByText(/Saved\. The previous secret keeps working until/)).toBeVisible();

  await page.getByLabel("Trigger event name for invoice.paid").fill("paidInvoice");
  await page.getByRole("button", { name: "Save events" }).click();
  await expect(page.getByText("Saved. New events follow these settings.")).toBeVisible();

  await page.goto("/settings");
  const invited = `ivy-${suffix}@audit.test`;
  await page.getByLabel("Email", { exact: true }).fill(invited);
  await page.getByRole("button", { name: "Invite" }).click();
  await expect(page.getByText(`Invited ${invited} as a member.`)).toBeVisible();
  await page.getByLabel("Key name").fill("Reporting");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("new-api-key")).toBeVisible();

  await page.getByRole("link", { name: "Open the audit log" }).click();
  await expect(page).toHaveURL(/\/settings\/audit$/);
  const rows = page.getByTestId("audit-row");
  // Newest first, each with the owner as the actor.
  await expect(rows.nth(0)).toContainText("Created an API key");
  await expect(rows.nth(0)).toContainText("Reporting");
  await expect(rows.nth(1)).toContainText("Invited someone");
  await expect(rows.nth(1)).toContainText(invited);
  await expect(rows.nth(2)).toContainText("Changed an endpoint's events and settings");
  await expect(rows.nth(2)).toContainText("paidInvoice");
  await expect(rows.nth(3)).toContainText("Rotated an endpoint's signing secret");
  await expect(rows.nth(3)).toContainText(secondSecret.slice(-4));
  await expect(rows.nth(4)).toContainText("Set an endpoint's signing secret");
  await expect(rows.nth(5)).toContainText("Created an endpoint");
  await expect(rows).toHaveCount(6);
  for (let index = 0; index < 6; index += 1) await expect(rows.nth(index)).toContainText(owner);
  await expect(rows.filter({ hasText: "Rotated" })).toContainText("Stripe live");
  // The secrets themselves are nowhere on the page.
  await expect(page.locator("body")).not.toContainText(firstSecret);
  await expect(page.locator("body")).not.toContainText(secondSecret);

  // By kind.
  await page.getByLabel("Kind").selectOption("endpoint");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(rows).toHaveCount(4);
  await expect(rows.filter({ hasText: "API key" })).toHaveCount(0);
  await page.getByLabel("Kind").selectOption("member");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText("Invited someone");

  // By actor, and by date range (UTC days).
  await page.getByLabel("Kind").selectOption("");
  await page.getByLabel("By").fill("someone-else@");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No change matches these filters.")).toBeVisible();
  await page.getByLabel("By").fill(owner.slice(0, 10).toUpperCase());
  const today = new Date().toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() - 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  await page.getByLabel("From").fill(today);
  await page.getByLabel("To").fill(today);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(rows).toHaveCount(6);
  await page.getByLabel("From").fill(yesterday);
  await page.getByLabel("To").fill(yesterday);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No change matches these filters.")).toBeVisible();

  // The CSV export keeps the page's filters, is never cached, and holds no secret.
  await page.goto("/settings/audit?kind=endpoint");
  const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  expect(href).toBe("/settings/audit/export?kind=endpoint");
  const exported = await page.request.get(href!);
  expect(exported.status()).toBe(200);
  expect(exported.headers()["cache-control"]).toContain("no-store");
  expect(exported.headers()["content-type"]).toContain("text/csv");
  const csv = await exported.text();
  const lines = csv.trim().split("\n");
  expect(lines[0]).toBe("time,actor,actor_kind,actor_id,action,target_type,target_id,target,details");
  expect(lines.slice(1).map((line) => line.split(",")[4])).toEqual([
    '"endpoint.settings_changed"',
    '"endpoint.secret_rotated"',
    '"endpoint.secret_set"',
    '"endpoint.created"',
  ]);
  for (const line of lines.slice(1)) expect(line).toContain(`"${owner}","user"`);
  expect(csv).not.toContain(firstSecret);
  expect(csv).not.toContain(secondSecret);
});

test("joining, a role change and a removal are in the log with who made each; a member cannot read the log", async ({
  page,
  browser,
}) => {
  const boss = `bo-${suffix}@audit.test`;
  await signUp(page, "Bo Boss", boss, "Team log", { from: "127.0.15.2" });
  const teammate = `tia-${suffix}@audit.test`;
  await page.goto("/settings");
  await page.getByLabel("Email", { exact: true }).fill(teammate);
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(page.getByText(`Invited ${teammate} as a member.`)).toBeVisible();

  const tia: Page = await (await browser.newContext()).newPage();
  await createAccount(tia, "Tia Teammate", teammate, { from: "127.0.15.3" });
  await tia.goto(linkIn(await mailTo(teammate, /invited you to Team log/)));
  await tia.getByRole("button", { name: "Join" }).click();
  await expect(tia).toHaveURL(/\/endpoints$/);
  // A member is told the log is for owners and admins, and the export refuses them.
  await tia.goto("/settings/audit");
  await expect(tia.getByText("Only the workspace's owners and admins can read the audit log.")).toBeVisible();
  expect((await tia.request.get("/settings/audit/export")).status()).toBe(403);

  await page.goto("/settings");
  const row = page.getByTestId("member-row").filter({ hasText: teammate });
  await row.getByLabel(`Role for ${teammate}`).selectOption("admin");
  await row.getByRole("button", { name: "Change role" }).click();
  await expect(page.getByText("Tia Teammate is now an admin.")).toBeVisible();
  await row.getByRole("button", { name: `Remove ${teammate}` }).click();
  await expect(row).toHaveCount(0);

  await page.goto("/settings/audit?kind=member");
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(0)).toContainText("Removed a member");
  await expect(rows.nth(0)).toContainText(boss);
  await expect(rows.nth(0)).toContainText(teammate);
  await expect(rows.nth(1)).toContainText("Changed a member's role");
  await expect(rows.nth(1)).toContainText('{"role":"admin","previousRole":"member"}');
  await expect(rows.nth(2)).toContainText("Joined the workspace");
  // Joining is the invited person's own doing.
  await expect(rows.nth(2).getByRole("cell").nth(1)).toHaveText(teammate);
  await expect(rows.nth(3)).toContainText("Invited someone");
  await expect(rows.nth(3).getByRole("cell").nth(1)).toHaveText(boss);
});
