// The Audience shows each contact's billing state: signed Stripe subscription and invoice events
// posted through the real ingest and applied by the real worker become status, plan and MRR
// columns, filters by status and plan (which the CSV export follows), and the contact's billing panel.
import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { newTestSigningSecret, signedStripeRequest, stripeEvent, type FixtureOptions } from "@hookloop/core";
import { signUp } from "./accounts";

const secret = newTestSigningSecret();
const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** A subscription event whose prices are in `currency` (the fixture's are in usd). */
function subscriptionEvent(type: string, options: FixtureOptions, currency = "usd") {
  const event = stripeEvent(type, options);
  const subscription = event.data.object as { currency: string; items: { data: Array<{ price: { currency: string } }> } };
  subscription.currency = currency;
  for (const item of subscription.items.data) item.price.currency = currency;
  return event;
}

async function post(request: APIRequestContext, url: string, event: unknown) {
  const signed = signedStripeRequest(event, secret);
  const response = await request.post(url, { headers: signed.headers, data: signed.body });
  expect(response.status(), await response.text()).toBe(200);
}

const rowOf = (page: Page, email: string) => page.getByTestId("contact-row").filter({ hasText: email });
const listed = async (page: Page) => (await page.getByTestId("contact-row").getByRole("link").allTextContents()).sort();

test("billing columns, status and plan filters, the filtered export and the contact's billing panel", async ({
  page,
  request,
}) => {
  await signUp(page, "Bea Billing", `bea-${randomBytes(4).toString("hex")}@billing.test`, "Billing", { from: "127.0.13.1" });
  await page.getByLabel("Name").fill("Stripe");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page).toHaveURL(/\/endpoints\/ep_/);
  const url = (await page.getByTestId("endpoint-url").textContent())!.trim();
  await page.getByLabel("Signing secret", { exact: true }).fill(secret);
  await page.getByRole("button", { name: "Save secret" }).click();
  await expect(page.getByText(`Saved the signing secret ending in ${secret.slice(-4)}.`)).toBeVisible();
  for (const type of ["customer.created", "customer.subscription.created", "customer.subscription.updated", "invoice.paid"]) {
    await page.getByLabel(`Accept ${type}`, { exact: true }).check();
  }
  await page.getByRole("button", { name: "Save events" }).click();
  await expect(page.getByText("Saved. New events follow these settings.")).toBeVisible();

  const customers = [
    { id: "cus_ada", email: "ada@billing.test", name: "Ada Lovelace" },
    { id: "cus_grace", email: "grace@billing.test", name: "Grace Hopper" },
    { id: "cus_edsger", email: "edsger@billing.test", name: "Edsger Dijkstra" },
    { id: "cus_kenji", email: "kenji@billing.test", name: "Kenji Sato" },
    { id: "cus_linus", email: "linus@billing.test", name: "Linus Pauling" },
  ];
  for (const customer of customers) {
    await post(
      request,
      url,
      stripeEvent("customer.created", {
        customerId: customer.id,
        email: customer.email,
        name: customer.name,
        created: at("2026-11-01T09:00:00Z"),
      }),
    );
  }
  // Ada: Pro, $29 a month, renewing; she paid her first invoice.
  await post(
    request,
    url,
    subscriptionEvent("customer.subscription.created", {
      customerId: "cus_ada",
      created: at("2026-11-02T09:00:00Z"),
      subscription: {
        id: "sub_ada",
        status: "active",
        nickname: "Pro",
        unitAmount: 2900,
        currentPeriodEnd: at("2027-01-15T09:00:00Z"),
      },
    }),
  );
  await post(
    request,
    url,
    stripeEvent("invoice.paid", {
      customerId: "cus_ada",
      email: "ada@billing.test",
      amount: 2900,
      created: at("2026-11-20T09:00:00Z"),
    }),
  );
  // Grace: Team at €990 a year after a trial, set to cancel at the end of the period.
  const graceSubscription = {
    id: "sub_grace",
    nickname: "Team",
    unitAmount: 99000,
    interval: "year" as const,
    trialEnd: at("2026-11-10T09:00:00Z"),
    currentPeriodEnd: at("2027-11-10T09:00:00Z"),
  };
  await post(
    request,
    url,
    subscriptionEvent(
      "customer.subscription.created",
      {
        customerId: "cus_grace",
        created: at("2026-11-03T09:00:00Z"),
        subscription: { ...graceSubscription, status: "trialing" },
      },
      "eur",
    ),
  );
  await post(
    request,
    url,
    subscriptionEvent(
      "customer.subscription.updated",
      {
        customerId: "cus_grace",
        created: at("2026-11-10T09:00:00Z"),
        subscription: { ...graceSubscription, status: "active", cancelAtPeriodEnd: true },
        previousAttributes: { status: "trialing", cancel_at_period_end: false },
      },
      "eur",
    ),
  );
  // Edsger: on a trial of Team, in euros.
  await post(
    request,
    url,
    subscriptionEvent(
      "customer.subscription.created",
      {
        customerId: "cus_edsger",
        created: at("2026-11-04T09:00:00Z"),
        subscription: {
          id: "sub_edsger",
          status: "trialing",
          nickname: "Team",
          unitAmount: 4900,
          trialEnd: at("2026-12-20T09:00:00Z"),
        },
      },
      "eur",
    ),
  );
  // Kenji: Pro in yen, a payment failed, so past due.
  await post(
    request,
    url,
    subscriptionEvent(
      "customer.subscription.created",
      {
        customerId: "cus_kenji",
        created: at("2026-11-05T09:00:00Z"),
        subscription: { id: "sub_kenji", status: "past_due", nickname: "Pro", unitAmount: 2900 },
      },
      "jpy",
    ),
  );
  // Linus has no subscription.

  await expect(async () => {
    await page.goto("/audience");
    await expect(rowOf(page, "edsger@billing.test")).toContainText("Trialing", { timeout: 1_000 });
    await expect(rowOf(page, "grace@billing.test")).toContainText("€82.50", { timeout: 1_000 }); // €990 a year
    await expect(rowOf(page, "kenji@billing.test")).toContainText("Past due", { timeout: 1_000 });
    await expect(rowOf(page, "ada@billing.test")).toContainText("$29.00", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole("columnheader", { name: "MRR" })).toBeVisible();
  await expect(rowOf(page, "ada@billing.test")).toContainText("Active");
  await expect(rowOf(page, "ada@billing.test")).toContainText("Pro");
  await expect(rowOf(page, "grace@billing.test")).toContainText("Active");
  await expect(rowOf(page, "grace@billing.test")).toContainText("Team");
  await expect(rowOf(page, "edsger@billing.test")).toContainText("€0.00"); // a trial pays nothing yet
  await expect(rowOf(page, "kenji@billing.test")).toContainText("¥2,900");
  await expect(rowOf(page, "linus@billing.test")).toContainText("No subscription");
  await page.screenshot({ path: "test-results/screenshots/audience-billing.png", fullPage: true });

  // The plans offered are the workspace's own.
  await expect(page.getByLabel("Plan", { exact: true }).locator("option")).toHaveText(["Any plan", "Pro", "Team"]);

  await page.getByLabel("Status", { exact: true }).selectOption({ label: "Trialing" });
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/status=trialing/);
  expect(await listed(page)).toEqual(["edsger@billing.test"]);

  await page.getByLabel("Status", { exact: true }).selectOption({ label: "Any status" });
  await page.getByLabel("Plan", { exact: true }).selectOption("Pro");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/plan=Pro/);
  await expect(page.getByTestId("contact-row")).toHaveCount(2);
  expect(await listed(page)).toEqual(["ada@billing.test", "kenji@billing.test"]);

  await page.getByLabel("Status", { exact: true }).selectOption({ label: "Active" });
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByTestId("contact-row")).toHaveCount(1);
  expect(await listed(page)).toEqual(["ada@billing.test"]);
  // The filters stay chosen after the page reloads from its URL.
  await page.reload();
  await expect(page.getByLabel("Status", { exact: true })).toHaveValue("active");
  await expect(page.getByLabel("Plan", { exact: true })).toHaveValue("Pro");

  // The export holds what the page lists, billing fields included.
  const exportHref = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  expect(exportHref).toBe("/audience/export?status=active&plan=Pro");
  const csv = (await (await page.request.get(exportHref!)).text()).trim().split("\n");
  expect(csv).toHaveLength(2);
  expect(csv[1]).toContain('"ada@billing.test"');
  expect(csv[1]).toContain('"active","Pro","month","2900","usd"');

  await page.goto("/audience?status=none");
  expect(await listed(page)).toEqual(["linus@billing.test"]);
  await page.goto("/audience?plan=Enterprise");
  await expect(page.getByText("No contact matches plan “Enterprise”.")).toBeVisible();

  // Ada's billing panel: every field, readable.
  await page.goto("/audience?plan=Pro&status=active");
  await page.getByRole("link", { name: "ada@billing.test" }).click();
  const panel = page.getByTestId("billing-panel");
  await expect(panel.getByRole("heading", { name: "Billing" })).toBeVisible();
  await expect(panel).toContainText("Active");
  await expect(panel.getByTestId("renewal")).toHaveText("Renews on 15 Jan 2027.");
  const fact = (label: string) =>
    panel
      .locator("dl.facts > div")
      .filter({ has: page.getByText(label, { exact: true }) })
      .locator("dd");
  await expect(fact("Plan")).toHaveText("Pro");
  await expect(fact("Billed")).toHaveText("monthly");
  await expect(fact("MRR")).toHaveText("$29.00/mo");
  await expect(fact("Currency")).toHaveText("USD");
  await expect(fact("Cancels at period end")).toHaveText("No");
  await expect(fact("Lifetime value")).toHaveText("$29.00");
  await expect(fact("First paid")).toHaveText("20 Nov 2026");
  await expect(fact("Last paid")).toHaveText("20 Nov 2026");
  await expect(fact("Last payment failed")).toHaveText("—");
  await page.screenshot({ path: "test-results/screenshots/contact-billing.png", fullPage: true });

  // Grace's subscription will not renew.
  await page.goto("/audience?plan=Team&status=active");
  await page.getByRole("link", { name: "grace@billing.test" }).click();
  await expect(page.getByTestId("renewal")).toHaveText("Cancels at period end: it will not renew.");
  await expect(fact("Cancels at period end")).toHaveText("Yes");
  await expect(fact("Renews on")).toHaveText("—");
  await expect(fact("Trial ends")).toHaveText("10 Nov 2026");
  await expect(fact("Billed")).toHaveText("yearly");
  await expect(fact("MRR")).toHaveText("€82.50/mo");
  await expect(fact("Lifetime value")).toHaveText("—");
});
