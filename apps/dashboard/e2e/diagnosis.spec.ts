// Why events fail, in the product: wrongly signed requests posted to the real ingest are counted
// by cause, and the endpoint page says what went wrong and how to fix it.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { newTestSigningSecret, signedStripeRequest, stripeEvent } from "@hookloop/core";
import { signUp } from "./accounts";

test("wrongly signed requests are explained on the endpoint page, with their fix and the last event received", async ({
  page,
  request,
}) => {
  await signUp(page, "Dora Diagnosis", `dora-${randomBytes(4).toString("hex")}@diagnosis.test`, "Diagnosis", {
    from: "127.0.15.1",
  });
  await page.getByLabel("Name").fill("Stripe");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page).toHaveURL(/\/endpoints\/ep_/);
  const url = (await page.getByTestId("endpoint-url").textContent())!.trim();
  const post = (secret: string, timestampSeconds?: number) => {
    const signed = signedStripeRequest(stripeEvent("invoice.paid"), secret, { timestampSeconds });
    return request.post(url, { headers: signed.headers, data: signed.body });
  };

  // A fresh page: nothing received, nothing refused, and the troubleshooting table.
  await expect(page.getByTestId("last-event")).toHaveText("No event has been received at this URL yet.");
  await expect(page.getByTestId("diagnosis")).toContainText("No request to this URL was refused in the last 7 days.");
  await expect(page.getByRole("heading", { name: "Troubleshooting" })).toBeVisible();
  await expect(page.getByTestId("troubleshooting-row").filter({ hasText: "had no valid signature" })).toContainText(
    "open the Webhooks page (Developers, then Webhooks)",
  );

  // Stripe starts sending before the secret is pasted.
  const early = await post(newTestSigningSecret());
  expect(early.status()).toBe(400);
  expect((await early.json()).error).toBe("signing_secret_missing");

  // The secret pasted here is not the one Stripe signs with.
  const pasted = newTestSigningSecret();
  await page.getByLabel("Signing secret", { exact: true }).fill(pasted);
  await page.getByRole("button", { name: "Save secret" }).click();
  await expect(page.getByText(`Saved the signing secret ending in ${pasted.slice(-4)}.`)).toBeVisible();
  // Ingest has the pasted secret once an event signed with it is taken (its cache rereads within seconds).
  await expect.poll(async () => (await post(pasted)).status()).toBe(200);
  const stripesOwn = newTestSigningSecret();
  for (let i = 0; i < 5; i++) {
    const refused = await post(stripesOwn);
    expect(refused.status()).toBe(400);
    expect((await refused.json()).error).toBe("no_matching_signature");
  }
  const replayed = await post(pasted, Math.floor(Date.now() / 1000) - 3_600);
  expect((await replayed.json()).error).toBe("stale_timestamp");

  // Ingest writes its counts every few seconds.
  const finding = page.getByTestId("refusal-no_matching_signature");
  await expect(async () => {
    await page.reload();
    await expect(finding).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(finding).toContainText(
    /^5 requests since \d\d:00 UTC had no valid signature: the signing secret pasted here is probably not this endpoint's in Stripe/,
  );
  await expect(finding).toContainText(
    "Fix: In Stripe, open the Webhooks page (Developers, then Webhooks), choose the endpoint whose URL is this page's",
  );
  // The early one, and any sent while ingest still had the endpoint without its secret.
  await expect(page.getByTestId("refusal-no_signing_secret")).toContainText(
    /^\d+ requests? since \d\d:00 UTC arrived before a signing secret was pasted here/,
  );
  await expect(page.getByTestId("refusal-stale_timestamp")).toContainText(
    /^1 request since \d\d:00 UTC had a signature more than 5 minutes old: they were sent again long after Stripe signed them/,
  );
  await expect(page.getByTestId("refusal-row")).toHaveCount(3);
  await expect(page.getByTestId("refusal-row").filter({ hasText: "had no valid signature" })).toContainText("5");
  await expect(page.getByTestId("last-event")).toContainText(/Last event received: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\./);
  await expect(page.getByTestId("diagnosis")).not.toContainText("No events for 7 days");
  await page.getByTestId("diagnosis").screenshot({ path: "test-results/screenshots/endpoint-diagnosis.png" });
});
