// A marketer's day-to-day on one endpoint, in a real browser against the real ingest and worker:
// a new endpoint starts with invoice.paid on; renaming it; paging its deliveries past the first
// page while Stripe keeps sending; filtering and searching them; replaying every ignored one at
// once with the count confirmed and the progress followed to the end; and deleting it, after
// which Stripe is refused and the audience and events it made stay.
import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { newTestSigningSecret, signedStripeRequest } from "@hookloop/core";
import { signUp } from "./accounts";

const secret = newTestSigningSecret();
const tag = randomBytes(3).toString("hex");

/** What Stripe would POST for the event, signed with the endpoint's secret (the test kit's signing). */
const signed = (event: object) => signedStripeRequest(event, secret);

function stripeEvent(type: string, object: Record<string, unknown>) {
  return {
    id: `evt_${randomBytes(12).toString("hex")}`,
    object: "event",
    api_version: "2025-09-30.clover",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    type,
    data: { object },
  };
}

const paid = (n: number) =>
  stripeEvent("invoice.paid", {
    object: "invoice",
    id: `in_${tag}_${n}`,
    customer: `cus_${tag}_${n}`,
    customer_email: `payer${n}-${tag}@example.com`,
    amount_paid: 1000 + n,
    currency: "usd",
  });

const customer = (n: number) =>
  stripeEvent("customer.created", { object: "customer", id: `cus_new_${tag}_${n}`, email: `new${n}-${tag}@example.com` });

/** The delivery ids a page of the endpoint's list shows, from each row's link. */
const rowIds = async (page: Page) =>
  page
    .getByTestId("delivery-row")
    .getByRole("link")
    .evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).pathname.split("/").pop()!));

test("rename, page, filter, bulk replay and delete an endpoint", async ({ page, request }) => {
  test.setTimeout(180_000);
  await signUp(page, "Erin Endpoints", `erin-${tag}@endpoints.test`, "Endpoints", { from: "127.0.7.1" });
  await page.getByLabel("Name").fill("Stripe live");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page).toHaveURL(/\/endpoints\/ep_/);
  const endpointPath = new URL(page.url()).pathname;
  const url = (await page.getByTestId("endpoint-url").textContent())!.trim();

  // A new endpoint already takes invoice.paid, firing successfulPayment; nothing else.
  await expect(page.getByLabel("Accept invoice.paid")).toBeChecked();
  await expect(page.getByLabel("Trigger event name for invoice.paid")).toHaveValue("successfulPayment");
  await expect(page.getByLabel("Accept customer.created")).not.toBeChecked();
  await page.getByLabel("Signing secret", { exact: true }).fill(secret);
  await page.getByRole("button", { name: "Save secret" }).click();
  await expect(page.getByText(`Saved the signing secret ending in ${secret.slice(-4)}.`)).toBeVisible();

  // Renamed: the page and the list say the new name, the URL stays.
  await page.getByLabel("Endpoint name").fill("Stripe EU");
  await page.getByRole("button", { name: "Rename" }).click();
  await expect(page.getByText("Renamed to Stripe EU.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Stripe EU");
  await expect(page.getByTestId("endpoint-url")).toHaveText(url);
  await page.goto("/endpoints");
  await expect(page.getByRole("link", { name: "Stripe EU" })).toBeVisible();

  // Stripe sends 52 paid invoices, 5 new customers (not enabled: ignored) and one event Hookloop
  // does not handle (ignored too, and never offered a replay).
  const post = async (event: object) => {
    const request_ = signed(event);
    const response = await request.post(url, { headers: request_.headers, data: request_.body });
    expect(response.status()).toBe(200);
  };
  for (let n = 0; n < 52; n++) await post(paid(n));
  for (let n = 0; n < 5; n++) await post(customer(n));
  await post(stripeEvent("customer.tax_id.created", { object: "tax_id", id: `txi_${tag}`, customer: `cus_${tag}_1` }));

  // Paging: 50, then the 8 older ones, though 3 more arrive in between: none twice, none missed.
  await page.goto(endpointPath);
  await expect(page.getByTestId("delivery-row")).toHaveCount(50);
  const first = await rowIds(page);
  for (let n = 52; n < 55; n++) await post(paid(n));
  await page.getByRole("link", { name: "Older deliveries →" }).click();
  await expect(page).toHaveURL(/after=/);
  await expect(page.getByTestId("delivery-row")).toHaveCount(8);
  const second = await rowIds(page);
  expect(new Set([...first, ...second]).size).toBe(58);
  await expect(page.getByRole("link", { name: "Older deliveries →" })).toHaveCount(0);
  await page.getByRole("link", { name: "← Newest" }).click();
  await expect(page.getByTestId("delivery-row")).toHaveCount(50);
  await expect(page.getByTestId("delivery-row").first()).toContainText("invoice.paid");

  // Filters live in the URL: ignored ones, then a search by email and by customer id.
  await page.getByLabel("Status", { exact: true }).selectOption("ignored");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/status=ignored/);
  await expect(page.getByTestId("delivery-row")).toHaveCount(6);
  const unsupported = page.getByTestId("delivery-row").filter({ hasText: "customer.tax_id.created" });
  await expect(unsupported).toContainText("Hookloop does not handle customer.tax_id.created events.");
  await expect(unsupported.getByRole("button", { name: "Replay" })).toHaveCount(0);
  await expect(page.getByTestId("delivery-row").filter({ hasText: "customer.created" }).first().getByRole("button")).toHaveText(
    "Replay",
  );
  const ignoredPage = page.url();
  await page.goto(`${endpointPath}?q=${encodeURIComponent(`PAYER7-${tag}@example.com`)}`);
  await expect(page.getByTestId("delivery-row")).toHaveCount(1);
  await expect(page.getByLabel("Search")).toHaveValue(`PAYER7-${tag}@example.com`);
  await page.getByLabel("Search").fill(`cus_new_${tag}_3`);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("delivery-row")).toHaveCount(1);
  await expect(page.getByTestId("delivery-row")).toContainText("customer.created");

  // Bulk replay of the ignored ones a replay can take: 5, confirmed, then followed to the end.
  await page.goto(ignoredPage);
  await page.getByRole("button", { name: "Replay 5 ignored deliveries…" }).click();
  await expect(page.getByRole("alertdialog")).toContainText("Replay 5 ignored deliveries?");
  await page.getByRole("button", { name: "Replay 5 ignored deliveries", exact: true }).click();
  await expect(page).toHaveURL(/replay=/);
  await expect(page.getByTestId("replay-progress")).toHaveText("Replay finished: 5 of 5 applied (5 processed).", {
    timeout: 30_000,
  });
  // What is left ignored is the one event a replay could only ignore again.
  await page.reload();
  await expect(page.getByTestId("delivery-row")).toHaveCount(1);
  await expect(page.getByTestId("delivery-row")).toContainText("customer.tax_id.created");
  await expect(page.getByRole("button", { name: /Replay \d+ ignored/ })).toHaveCount(0);
  await page.goto(`/audience?q=new3-${tag}`);
  await expect(page.getByTestId("contact-row")).toContainText(`new3-${tag}@example.com`);

  // Deleting asks first, and says what follows.
  await page.goto(endpointPath);
  await page.getByRole("button", { name: "Delete endpoint…" }).click();
  const question = page.getByRole("alertdialog");
  await expect(question).toContainText("Delete “Stripe EU”?");
  await expect(question).toContainText("Stripe's next events to this endpoint's URL are refused with 404");
  await expect(question).toContainText("The 61 deliveries it received are kept");
  await page.getByRole("button", { name: "Keep it" }).click();
  await expect(page.getByRole("alertdialog")).toHaveCount(0);
  await page.getByRole("button", { name: "Delete endpoint…" }).click();
  await page.getByRole("button", { name: "Delete “Stripe EU”" }).click();
  await expect(page).toHaveURL(/\/endpoints$/);
  await expect(page.getByRole("link", { name: "Stripe EU" })).toHaveCount(0);
  expect((await page.goto(endpointPath))?.status()).toBe(404);

  // Stripe's next event is refused as for an unknown URL; the audience and events stay.
  const next = signed(paid(99));
  const refused = await request.post(url, { headers: next.headers, data: next.body });
  expect(refused.status()).toBe(404);
  expect(await refused.json()).toMatchObject({ error: "endpoint_not_found" });
  await page.goto(`/audience?q=payer7-${tag}`);
  await expect(page.getByTestId("contact-row")).toContainText(`payer7-${tag}@example.com`);
  // Its deliveries stay readable, with why they are no longer replayed.
  await page.goto(`/deliveries/${second.at(-1)}`);
  await expect(page.getByText("Its endpoint, “Stripe EU”, was deleted")).toBeVisible();
  await expect(page.getByTestId("payload")).toContainText(`in_${tag}_0`);
  await expect(page.getByRole("button", { name: "Replay" })).toHaveCount(0);
  await page.goto(`/events?contact=${encodeURIComponent(`payer7-${tag}@example.com`)}`);
  await expect(page.getByTestId("event-row")).toHaveCount(1);
  await expect(page.getByTestId("event-row")).toContainText("successfulPayment");
});
