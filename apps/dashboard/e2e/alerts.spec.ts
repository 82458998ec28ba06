// Alerts as an owner meets them: Stripe-signed requests that do not verify (a wrong secret) pile
// up past the hourly threshold, the worker's check opens an alert, the owner is emailed once with
// a link to the endpoint, and the endpoint's page shows the banner.
import { createHmac, randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { linkIn, mailTo, mailsTo, signUp } from "./accounts";

test("ten refused signatures in an hour email the owner once and put a banner on the endpoint's page", async ({
  page,
  request,
}) => {
  const owner = `al-${randomBytes(4).toString("hex")}@alerts.test`;
  await signUp(page, "Al Alert", owner, "Alerted", { from: "127.0.15.4" });
  await page.getByLabel("Name").fill("Stripe live");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page).toHaveURL(/\/endpoints\/ep_/);
  const endpointPath = new URL(page.url()).pathname;
  const url = (await page.getByTestId("endpoint-url").textContent())!.trim();
  await page.getByLabel("Signing secret", { exact: true }).fill(`whsec_${randomBytes(24).toString("hex")}`);
  await page.getByRole("button", { name: "Save secret" }).click();
  await expect(page.getByText(/Saved the signing secret ending in/)).toBeVisible();
  await expect(page.getByTestId("endpoint-alert")).toHaveCount(0);

  // Signed with another secret, as when the endpoint holds the wrong one.
  const wrong = `whsec_${randomBytes(24).toString("hex")}`;
  for (let index = 0; index < 10; index += 1) {
    const body = JSON.stringify({ id: `evt_${randomBytes(8).toString("hex")}`, object: "event", type: "invoice.paid", data: {} });
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac("sha256", wrong).update(`${timestamp}.${body}`).digest("hex");
    const refused = await request.post(url, {
      headers: { "content-type": "application/json", "stripe-signature": `t=${timestamp},v1=${signature}` },
      data: body,
    });
    expect(refused.status()).toBe(400);
  }

  const mail = await mailTo(owner, /^\[Alerted\] Alert: Stripe live is failing$/);
  expect(mail.text).toContain("0 failed deliveries and 10 refused signatures in the last hour");
  expect(linkIn(mail)).toContain(endpointPath);
  await page.goto(linkIn(mail));
  const banner = page.getByTestId("endpoint-alert");
  await expect(banner).toContainText("Alert: Stripe live had 0 failed deliveries and 10 refused signatures in the last hour");
  await expect(banner).toContainText("owners and admins were emailed");
  // Once per incident: the checks that followed sent nothing more.
  await page.reload();
  await expect(banner).toBeVisible();
  expect(await mailsTo(owner, /Alert: Stripe live is failing/)).toHaveLength(1);
});
