// A dry run shows what a Stripe event would do with the endpoint's settings as they are now —
// contacts, trigger events, messages — and leaves nothing behind; from a delivery's page it runs
// that delivery's event again, which changes nothing once applied; and a trigger condition set in
// the endpoint's settings is explained when it holds a trigger event back.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { newTestSigningSecret, signedStripeRequest, stripeEvent } from "@hookloop/core";
import { signUp } from "./accounts";

const secret = newTestSigningSecret();

test("a pasted event is shown with the contact and trigger event it would make, and nothing is written", async ({
  page,
  request,
}) => {
  await signUp(page, "Dora Dryrun", `dora-${randomBytes(4).toString("hex")}@dryrun.test`, "Dry run", { from: "127.0.14.1" });
  await page.getByLabel("Name").fill("Stripe");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page).toHaveURL(/\/endpoints\/ep_/);
  const endpointPath = new URL(page.url()).pathname;
  const url = (await page.getByTestId("endpoint-url").textContent())!.trim();
  await page.getByLabel("Signing secret", { exact: true }).fill(secret);
  await page.getByRole("button", { name: "Save secret" }).click();
  await expect(page.getByText(`Saved the signing secret ending in ${secret.slice(-4)}.`)).toBeVisible();
  await page.getByLabel("Accept customer.created", { exact: true }).check();
  await page.getByLabel("Trigger event name for customer.created").fill("signedUp");
  await page.getByRole("button", { name: "Save events" }).click();
  await expect(page.getByText("Saved. New events follow these settings.")).toBeVisible();

  await page.getByRole("link", { name: "Dry run", exact: true }).click();
  await expect(page).toHaveURL(`${endpointPath}/dry-run`);
  const event = stripeEvent("customer.created", { customerId: "cus_ada", email: "ada@dryrun.test", name: "Ada Lovelace" });
  const field = page.getByLabel("Stripe event (JSON)");
  const result = page.getByTestId("dry-run-result");

  await field.fill("{ not json");
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "This is not JSON" })).toBeVisible();

  await field.fill(JSON.stringify(stripeEvent("charge.refunded", { customerId: "cus_ada", email: "ada@dryrun.test" })));
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(result).toContainText("Would be ignored: charge.refunded is not enabled on this endpoint.");

  await field.fill(JSON.stringify(event, null, 2));
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(result).toContainText("Would be processed: Created contact ada@dryrun.test.");
  await expect(result).toContainText("Creates ada@dryrun.test · Ada Lovelace · subscribed");
  await expect(result).toContainText("signedUp for ada@dryrun.test");
  await expect(result).toContainText("No destination would get a message.");
  await expect(result).toContainText("Nothing was written");

  await page.goto("/audience");
  await expect(page.getByText("ada@dryrun.test")).toHaveCount(0);
  await page.goto(endpointPath);
  await expect(page.getByTestId("delivery-row")).toHaveCount(0);

  // The same event for real, then a dry run of its delivery: applied already, it would change nothing.
  const signed = signedStripeRequest(event, secret);
  const response = await request.post(url, { headers: signed.headers, data: signed.body });
  expect(response.status(), await response.text()).toBe(200);
  await page.goto("/audience");
  await expect(page.getByRole("link", { name: "ada@dryrun.test" })).toBeVisible({ timeout: 15_000 });
  await page.goto(endpointPath);
  await page.getByTestId("delivery-row").first().getByRole("link").first().click();
  await page.getByRole("link", { name: "Dry run with today's settings" }).click();
  await expect(page.getByLabel("Stripe event (JSON)")).toHaveValue(new RegExp(event.id));
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(result).toContainText("applying it again would change nothing");
  await expect(result).toContainText("No contact would change.");
  await expect(result).toContainText("No trigger event would fire.");

  // A condition on invoice.paid, set in the endpoint's settings: the dry run says why its trigger event would not fire.
  await page.goto(endpointPath);
  await page.getByLabel("Condition for invoice.paid").selectOption({ label: "plan is" });
  await page.getByLabel("Plan for invoice.paid").fill("Team");
  // And a trigger event for a subscription becoming active, with the subscription events it follows.
  await page.getByLabel("Accept customer.subscription.created", { exact: true }).check();
  await page.getByLabel(/^Fire on: A subscription becomes active/).check();
  await page.getByLabel(/^Trigger event name for: A subscription becomes active/).fill("becameActive");
  await page.getByRole("button", { name: "Save events" }).click();
  await expect(page.getByText("Saved. New events follow these settings.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Plan for invoice.paid")).toHaveValue("Team");
  await page.goto(`${endpointPath}/dry-run`);
  await page
    .getByLabel("Stripe event (JSON)")
    .fill(JSON.stringify(stripeEvent("invoice.paid", { customerId: "cus_ada", email: "ada@dryrun.test" })));
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(result).toContainText("successfulPayment did not fire: its plan is price_1Pro, not Team (only the plan Team).");
  await expect(result).toContainText("No trigger event would fire.");

  await page
    .getByLabel("Stripe event (JSON)")
    .fill(
      JSON.stringify(stripeEvent("customer.subscription.created", { customerId: "cus_ada", subscription: { status: "active" } })),
    );
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(result).toContainText("becameActive for ada@dryrun.test");
  await expect(result).toContainText("Nothing was written");
});
