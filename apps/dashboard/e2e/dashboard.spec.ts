// A marketer's whole journey in a real browser, against the real ingest and worker: sign up,
// connect Stripe, receive a signed event, see the contact and trigger event, replay, and find
// nothing of it from another workspace.
import { createHmac, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { createAccount, linkIn, mailTo, password, post, signUp } from "./accounts";

const secret = `whsec_${randomBytes(24).toString("hex")}`;
const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });

/** What Stripe would POST: a signed event body and its Stripe-Signature header. */
function signed(event: object) {
  const body = JSON.stringify(event);
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return { body, headers: { "content-type": "application/json", "stripe-signature": `t=${timestamp},v1=${signature}` } };
}

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

test.describe.configure({ mode: "serial" });

const owner = { email: `owner-${randomBytes(4).toString("hex")}@acme.test` };
/** The owner's session from the first test: signing in again would spend the sign-in rate limit the last test measures. */
let ownerCookies: Awaited<ReturnType<BrowserContext["cookies"]>> = [];
const leaked: { endpointPath?: string; contactPath?: string; deliveryPath?: string; destinationPath?: string } = {};

test("a marketer connects Stripe and watches contacts and events arrive", async ({ page, request }) => {
  await signUp(page, "Olivia Owner", owner.email, "Acme");
  await expect(page.getByText("Create your first endpoint")).toBeVisible();
  await shot(page, "endpoints-empty");

  await page.getByLabel("Name").fill("Stripe live");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page).toHaveURL(/\/endpoints\/ep_/);
  leaked.endpointPath = new URL(page.url()).pathname;
  const url = (await page.getByTestId("endpoint-url").textContent())!.trim();
  expect(url).toMatch(/\/webhooks\/stripe\/ep_/);
  await expect(page.getByText("Developers → Webhooks")).toBeVisible();

  // The signing secret: every usual slip gets a plain message.
  const secretField = page.getByLabel("Signing secret", { exact: true });
  const saveSecret = page.getByRole("button", { name: "Save secret" });
  const expectSecretError = async (value: string, message: RegExp) => {
    await secretField.fill(value);
    await saveSecret.click();
    await expect(page.getByRole("alert").filter({ hasText: message })).toBeVisible();
  };
  await expectSecretError("", /Paste the signing secret from Stripe/);
  await expectSecretError("whsec_abc 123456789012345678", /spaces or line breaks/);
  await expectSecretError("pk_test_51Habcdefghijklmnop", /publishable API key/);
  await expectSecretError("sk_live_51Habcdefghijklmnop", /secret API key/);
  await expectSecretError("hello", /starts with whsec_/);
  await secretField.fill(`  ${secret}\n`);
  await saveSecret.click();
  await expect(page.getByText(`Saved the signing secret ending in ${secret.slice(-4)}.`)).toBeVisible();
  await page.reload();
  await expect(page.getByText(`whsec_…${secret.slice(-4)}`)).toBeVisible();
  await expect(page.locator("body")).not.toContainText(secret);

  // Events: invoice.paid → successfulPayment, with the trigger name validated.
  await page.getByLabel("Accept invoice.paid").check();
  const trigger = page.getByLabel("Trigger event name for invoice.paid");
  await trigger.fill("successful payment!");
  await page.getByRole("button", { name: "Save events" }).click();
  await expect(page.getByText("Use only letters, digits, _ and - in a trigger event name.")).toBeVisible();
  await trigger.fill("successfulPayment");
  await page.getByRole("button", { name: "Save events" }).click();
  await expect(page.getByText("Saved. New events follow these settings.")).toBeVisible();
  await shot(page, "endpoint");

  // Stripe posts a signed invoice.paid to the URL the page shows.
  const paid = signed(
    stripeEvent("invoice.paid", {
      object: "invoice",
      id: "in_1",
      customer: "cus_ada",
      customer_email: "ada@example.com",
      customer_name: "Ada Lovelace",
      amount_paid: 4200,
      currency: "usd",
      hosted_invoice_url: "https://invoice.stripe.com/i/in_1",
    }),
  );
  const response = await request.post(url, { headers: paid.headers, data: paid.body });
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ received: true, status: "queued" });

  await expect(async () => {
    await page.goto("/audience");
    await expect(page.getByTestId("contact-row")).toContainText("ada@example.com", { timeout: 1_000 });
  }).toPass();
  await expect(page.getByTestId("contact-row")).toContainText("Ada Lovelace");
  await shot(page, "audience");
  await page.getByRole("link", { name: "ada@example.com" }).click();
  await expect(page).toHaveURL(/\/audience\/[^/]+$/);
  leaked.contactPath = new URL(page.url()).pathname;
  await expect(page.getByText("successfulPayment")).toBeVisible();

  await page.goto("/events");
  await expect(page.getByTestId("event-row")).toContainText("successfulPayment");
  await expect(page.getByTestId("event-row")).toContainText("4200");
  await shot(page, "events");

  // An event the endpoint does not take is ignored, with the reason; replay applies it.
  const failed = signed(
    stripeEvent("invoice.payment_failed", {
      object: "invoice",
      id: "in_2",
      customer: "cus_grace",
      customer_email: "grace@example.com",
      customer_name: "Grace Hopper",
      amount_due: 900,
      currency: "usd",
    }),
  );
  expect((await request.post(url, { headers: failed.headers, data: failed.body })).status()).toBe(200);
  await page.goto(`${leaked.endpointPath}?status=ignored`);
  const ignoredRow = page.getByTestId("delivery-row").filter({ hasText: "invoice.payment_failed" });
  await expect(ignoredRow).toContainText("invoice.payment_failed is not enabled on this endpoint.");
  await ignoredRow.getByRole("link", { name: "invoice.payment_failed" }).click();
  await expect(page).toHaveURL(/\/deliveries\/[^/]+$/);
  leaked.deliveryPath = new URL(page.url()).pathname;
  await expect(page.getByTestId("payload")).toContainText("grace@example.com");
  await shot(page, "delivery");
  await page.getByRole("button", { name: "Replay" }).click();
  await expect(async () => {
    await page.reload();
    await expect(page.locator(".badge").first()).toHaveText("processed", { timeout: 1_000 });
  }).toPass();
  await page.goto("/audience?q=grace");
  await expect(page.getByTestId("contact-row")).toContainText("grace@example.com");

  // The dashboard's own end-to-end check.
  await page.goto(leaked.endpointPath);
  await page.getByLabel("Event", { exact: true }).selectOption("invoice.paid");
  await page.getByRole("button", { name: "Send test event" }).click();
  const result = page.getByTestId("test-event-result");
  await expect(result).toContainText("Ingest answered 200");
  await expect(result).toContainText("processed");
  await expect(result).toContainText("Trigger event: successfulPayment");
  await shot(page, "test-event");

  // Paused, the endpoint turns Stripe away (within the ingest cache's few seconds), so Stripe
  // retries; resumed, it takes the retry.
  await page.getByRole("button", { name: "Pause endpoint" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Paused" })).toBeVisible();
  const retried = signed(
    stripeEvent("invoice.paid", { object: "invoice", id: "in_3", customer: "cus_ada", customer_email: "ada@example.com" }),
  );
  await expect.poll(async () => (await request.post(url, { headers: retried.headers, data: retried.body })).status()).toBe(404);
  await page.getByRole("button", { name: "Resume endpoint" }).click();
  await expect(page.getByRole("button", { name: "Pause endpoint" })).toBeVisible();
  expect((await request.post(url, { headers: retried.headers, data: retried.body })).status()).toBe(200);

  // CSV export
  const csv = await page.request.get("/audience/export");
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect(await csv.text()).toContain('"ada@example.com","Ada","Lovelace","true","Stripe"');
  ownerCookies = await page.context().cookies();
});

test("an invited teammate joins the workspace and sees its audience", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/endpoints$/);
  await page.goto("/settings");
  const teammate = `tom-${randomBytes(4).toString("hex")}@acme.test`;
  await page.getByLabel("Email", { exact: true }).fill(teammate);
  await page.getByRole("button", { name: "Invite" }).click();
  await expect(page.getByText(`Invited ${teammate} as a member. We emailed them a link to join.`)).toBeVisible();
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue("");
  await shot(page, "settings");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);

  // The invitation's link, opened signed out, says who is invited to what and how to join.
  const invitation = await mailTo(teammate, /invited you to Acme/);
  expect(invitation.text).toContain("Olivia Owner invited you to join the workspace Acme on Hookloop as a member.");
  await page.goto(linkIn(invitation));
  await expect(page.getByText(`Sign in with ${teammate} to join`)).toBeVisible();
  await createAccount(page, "Tom Teammate", teammate);
  await page.goto(linkIn(invitation));
  await expect(page.getByText("You are invited to Acme.")).toBeVisible();
  await page.getByRole("button", { name: "Join" }).click();
  await expect(page).toHaveURL(/\/endpoints$/);
  await expect(page.getByRole("link", { name: "Stripe live" })).toBeVisible();
  await page.goto("/audience");
  await expect(page.getByTestId("contact-row").filter({ hasText: "ada@example.com" })).toBeVisible();
});

/**
 * A destination's receiver, as a marketer's tool would run it: every request verified with the
 * Standard Webhooks library against the destination's secret, answered `status` when it verifies.
 */
function startReceiver() {
  const receiver = {
    url: "",
    secret: "",
    status: 200,
    verified: [] as Array<{ id: string; type: string }>,
    unverified: 0,
    server: undefined as Server | undefined,
  };
  receiver.server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      try {
        const message = new Webhook(receiver.secret).verify(
          Buffer.concat(chunks).toString("utf8"),
          request.headers as Record<string, string>,
        ) as { id: string; type: string };
        receiver.verified.push(message);
        response.writeHead(receiver.status, { "content-type": "text/plain" }).end(`verified ${message.id}`);
      } catch {
        receiver.unverified++;
        response.writeHead(401).end("signature did not verify");
      }
    });
  });
  return new Promise<typeof receiver>((resolve) =>
    receiver.server!.listen(0, "127.0.0.1", () => {
      receiver.url = `http://127.0.0.1:${(receiver.server!.address() as AddressInfo).port}/hooks`;
      resolve(receiver);
    }),
  );
}

test("a marketer sends trigger events on to a destination, reads its log and retries a failed message", async ({ page }) => {
  const receiver = await startReceiver();
  try {
    await page.context().addCookies(ownerCookies);
    await page.goto("/endpoints");
    await page.getByRole("link", { name: "Destinations" }).click();
    await expect(page.getByText("Send your events on")).toBeVisible();

    // A URL slip is refused in plain words; then the receiver, for successfulPayment only.
    await page.getByLabel("Name").fill("CRM");
    await page.getByLabel("URL").fill("crm.example/hooks");
    await page.getByRole("button", { name: "Create destination" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Start the URL with https://" })).toBeVisible();
    await page.getByLabel("URL").fill(receiver.url);
    await page.getByLabel("Only these").check();
    await page.getByLabel("successfulPayment").check();
    await page.getByRole("button", { name: "Create destination" }).click();
    await expect(page).toHaveURL(/\/destinations\/dst_/);
    leaked.destinationPath = new URL(page.url()).pathname;

    // The secret, revealed in full, is what the receiver verifies with.
    const secretShown = page.getByTestId("destination-secret");
    await expect(secretShown).toContainText("whsec_•••");
    await page.getByRole("button", { name: "Reveal" }).click();
    receiver.secret = (await secretShown.textContent())!.trim();
    expect(receiver.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await expect(page.getByTestId("verification-snippet")).toContainText("new Webhook(process.env.HOOKLOOP_SIGNING_SECRET)");

    await page.getByRole("button", { name: "Send test message" }).click();
    const tested = page.getByTestId("test-message-result");
    await expect(tested).toContainText("Your receiver answered 200");
    await expect(tested).toContainText("verified msg_");
    expect(receiver.verified).toEqual([expect.objectContaining({ type: "trigger.fired" })]);
    await expect(page.getByText("No messages yet.")).toBeVisible();

    // A Stripe event through ingest ("Send test event" on the endpoint) reaches the log, delivered.
    const sendStripeEvent = async () => {
      await page.goto(leaked.endpointPath!);
      await page.getByLabel("Event", { exact: true }).selectOption("invoice.paid");
      await page.getByRole("button", { name: "Send test event" }).click();
      await expect(page.getByTestId("test-event-result")).toContainText("Trigger event: successfulPayment");
      await page.goto(leaked.destinationPath!);
    };
    await sendStripeEvent();
    const newest = page.getByTestId("message-row").first();
    await expect(async () => {
      await page.reload();
      await expect(newest.locator(".badge")).toHaveText("delivered", { timeout: 1_000 });
    }).toPass();
    await expect(newest).toContainText("trigger.fired");
    await expect(newest).toContainText("successfulPayment");
    await expect(newest.getByTestId("attempt-row")).toHaveCount(1);
    await expect(newest.getByTestId("attempt-row")).toContainText("200");
    await expect(newest.getByTestId("attempt-row")).toContainText("verified msg_");

    // The receiver fails the next one: it retries after about 5 s, then 5 min; "Retry now" sends it at once.
    receiver.status = 500;
    await sendStripeEvent();
    await expect(async () => {
      await page.reload();
      await expect(newest.getByTestId("attempt-row"), "two failed attempts").toHaveCount(2, { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await expect(newest.locator(".badge")).toHaveText("retrying");
    await expect(newest.getByTestId("attempt-row").first()).toContainText("500");
    await page.goto(`${leaked.destinationPath}?status=delivered`);
    await expect(page.getByTestId("message-row")).toHaveCount(1);
    await page.goto(leaked.destinationPath);
    receiver.status = 200;
    await newest.getByRole("button", { name: "Retry now" }).click();
    await expect(async () => {
      await page.reload();
      await expect(newest.locator(".badge")).toHaveText("delivered", { timeout: 1_000 });
    }).toPass();
    await expect(newest.getByTestId("attempt-row")).toHaveCount(3);
    await expect(newest.getByTestId("attempt-row").last()).toContainText("200");

    // Nothing failed for good in the last week: the range retry says so.
    await page.getByRole("button", { name: "Retry failed messages" }).click();
    await expect(page.getByText(/No failed messages created from/)).toBeVisible();
    await shot(page, "destination");

    // The same webhook-id on every attempt at the failed message, and every request verified.
    const ids = receiver.verified.map((message) => message.id);
    expect(ids).toHaveLength(1 + 1 + 3);
    expect(new Set(ids.slice(2)).size).toBe(1);
    expect(receiver.unverified).toBe(0);

    await page.goto("/destinations");
    await expect(page.getByTestId("destination-row")).toContainText("CRM");
    await expect(page.getByTestId("destination-row")).toContainText("enabled");
    await shot(page, "destinations");
  } finally {
    await new Promise((resolve) => receiver.server!.close(resolve));
  }
});

test("another workspace sees none of it and gets 404 on its URLs", async ({ page }) => {
  await signUp(page, "Eve Else", `eve-${randomBytes(4).toString("hex")}@other.test`, "Other", { from: "127.0.5.1" });
  await page.goto("/audience");
  await expect(page.getByText("No contacts yet.")).toBeVisible();
  await page.goto("/events");
  await expect(page.getByText("No trigger events yet.")).toBeVisible();
  for (const path of [leaked.endpointPath, leaked.contactPath, leaked.deliveryPath, leaked.destinationPath]) {
    const response = await page.goto(path!);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByText("belongs to another workspace")).toBeVisible();
  }
  const csv = await page.request.get("/audience/export");
  expect(await csv.text()).not.toContain("ada@example.com");
});

test("a server action posted from another origin changes nothing", async ({ page }) => {
  await signUp(page, "Mallory Cross", `mallory-${randomBytes(4).toString("hex")}@other.test`, "Cross", { from: "127.0.5.2" });
  // Capture the real "create endpoint" action as the browser posts it...
  const posted = page.waitForRequest((request) => request.method() === "POST" && Boolean(request.headers()["next-action"]));
  await page.getByLabel("Name").fill("Real");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  const action = await posted;
  await expect(page).toHaveURL(/\/endpoints\/ep_/);

  // ...then have another site replay it, with the user's cookie, under its own origin.
  const headers = { ...(await action.allHeaders()), origin: "https://evil.example" };
  const forged = await page.request.post(action.url(), {
    headers,
    data: action.postData()!.replace('"Real"', '"Forged"').replaceAll("Real\r\n", "Forged\r\n"),
  });
  expect(forged.status()).toBeGreaterThanOrEqual(400);
  await page.goto("/endpoints");
  await expect(page.getByRole("link", { name: "Real" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Forged" })).toHaveCount(0);
});

test("sign-in says the same for a wrong password and an unknown account, and sign-out ends the session", async ({ page }) => {
  const attempt = async (email: string) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const error = page.locator("#auth-error");
    await expect(error).toBeVisible();
    return (await error.textContent())?.trim();
  };
  const known = await attempt(owner.email);
  const unknown = await attempt(`nobody-${randomBytes(4).toString("hex")}@acme.test`);
  expect(known).toBe(unknown);
  expect(known).toMatch(/invalid email or password/i);

  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/endpoints$/);
  const cookies = await page.context().cookies();
  const session = cookies.find((cookie) => cookie.name.includes("session_token"));
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/endpoints");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("sign-in attempts are limited, and a sign-in posted from another origin is refused", async ({ page }) => {
  // From an address of its own, so the browser's sign-in limit is left for the rest of this test.
  const crossOrigin = await post(
    "/sign-in/email",
    { email: owner.email, password },
    { from: "127.0.5.3", origin: "https://evil.example" },
  );
  expect(crossOrigin.status).toBe(403);
  expect(crossOrigin.headers["set-cookie"]).toBeUndefined();

  await page.goto("/sign-in");
  let message: string | undefined;
  for (let attempt = 0; attempt < 6 && !message?.includes("Too many"); attempt++) {
    await page.getByLabel("Email").fill(owner.email);
    await page.getByLabel("Password").fill("still not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    message = (await page.locator("#auth-error").textContent())?.trim();
  }
  expect(message).toBe("Too many attempts. Wait a minute and try again.");
});
