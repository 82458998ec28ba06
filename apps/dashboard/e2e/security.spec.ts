// What the security review tried against the dashboard, tried again and refused: scripts not
// named by the page's CSP nonce, framing from another site, mutations posted from elsewhere, a
// replay that returns to another site, and an export a spreadsheet would run or a cache keep.
import { createHmac, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIResponse, type BrowserContext, type Page, type Response } from "@playwright/test";
import { signUp } from "./accounts";

test.describe.configure({ mode: "serial" });

const secret = `whsec_${randomBytes(24).toString("hex")}`;
const attacker = {
  email: "+grace@example.com",
  name: '=HYPERLINK("https://evil.example","Open") @Hopper',
  customer: "\tcus_grace",
};
/** The dashboard's origin (Playwright's baseURL), the marketer's session and endpoint: the first test makes them. */
let dashboardOrigin = "";
let cookies: Awaited<ReturnType<BrowserContext["cookies"]>> = [];
let endpointPath = "";
let ingestUrl = "";

/** The nonce a response's Content-Security-Policy names, checked against what every page must say. */
function policyNonce(response: Response | APIResponse) {
  const headers = response.headers();
  const policy = headers["content-security-policy"] ?? "";
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("object-src 'none'");
  expect(policy).toContain("base-uri 'none'");
  expect(policy).toContain("form-action 'self'");
  expect(policy).not.toContain("unsafe-eval");
  expect(policy).toMatch(/script-src [^;]*'strict-dynamic'/);
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  // Plain http here, where browsers ignore HSTS: only a production dashboard on https sends it.
  expect(headers["strict-transport-security"]).toBeUndefined();
  const nonce = /script-src [^;]*'nonce-([^']+)'/.exec(policy)?.[1];
  expect(nonce).toBeTruthy();
  return nonce!;
}

/** Every script tag in the served HTML, inline or not, carries the response's nonce. */
async function expectScriptsNamedBy(response: Response, nonce: string) {
  const scripts = (await response.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
}

/** Every CSP violation the pages this tab opens report, from before their first script runs. */
async function watchViolations(page: Page) {
  const violations: string[] = [];
  await page.exposeFunction("reportViolation", (violation: string) => violations.push(violation));
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { reportViolation: (violation: string) => Promise<void> }).reportViolation;
      void report(`${event.violatedDirective} ${event.blockedURI} on ${location.pathname}`);
    }),
  );
  return violations;
}

/** The fields a server action's form posts without JavaScript, its `$ACTION_ID_…` among them. */
async function actionForm(page: Page, button: string) {
  await expect(page.getByRole("button", { name: button })).toBeVisible();
  const form = page.getByRole("button", { name: button }).locator("xpath=ancestor::form");
  const fields = await form
    .locator("input[type=hidden]")
    .evaluateAll((inputs) => inputs.map((input) => [(input as HTMLInputElement).name, (input as HTMLInputElement).value]));
  expect(fields.some(([name]) => name!.startsWith("$ACTION_ID_"))).toBe(true);
  return Object.fromEntries(fields) as Record<string, string>;
}

function signed(event: object) {
  const body = JSON.stringify(event);
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return { body, headers: { "content-type": "application/json", "stripe-signature": `t=${timestamp},v1=${signature}` } };
}

test("every page's scripts carry the nonce of its own Content-Security-Policy, and nothing on it is blocked", async ({
  page,
  browser,
  baseURL,
}) => {
  dashboardOrigin = new URL(baseURL!).origin;
  const violations = await watchViolations(page);
  await signUp(page, "Sam Secure", `sam-${randomBytes(4).toString("hex")}@acme.test`, "Fortress");
  await page.getByLabel("Name").fill("Stripe live");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page).toHaveURL(/\/endpoints\/ep_/);
  endpointPath = new URL(page.url()).pathname;
  ingestUrl = (await page.getByTestId("endpoint-url").textContent())!.trim();
  await page.getByLabel("Signing secret", { exact: true }).fill(secret);
  await page.getByRole("button", { name: "Save secret" }).click();
  await expect(page.getByText(`Saved the signing secret ending in ${secret.slice(-4)}.`)).toBeVisible();
  cookies = await page.context().cookies();

  const nonces = new Set<string>();
  for (const path of [endpointPath, "/endpoints", "/audience", "/events", "/destinations", "/settings"]) {
    const response = (await page.goto(path))!;
    expect(response.status()).toBe(200);
    const nonce = policyNonce(response);
    await expectScriptsNamedBy(response, nonce);
    nonces.add(nonce);
    // Personal data on every signed-in page: no browser or shared cache keeps it.
    expect(response.headers()["cache-control"]).toMatch(/private/);
    expect(response.headers()["cache-control"]).toMatch(/no-store/);
  }
  expect(nonces.size).toBe(6);
  // The chart is drawn in the browser, so the scripts ran, with the styles it sets. (Signing up,
  // above, ran the sign-up page's scripts: its form posts through JavaScript only.)
  await page.goto(endpointPath);
  await expect(page.locator(".recharts-wrapper > svg.recharts-surface")).toBeVisible();
  expect(violations).toEqual([]);

  // Signed out, the sign-in page too (a page Next would otherwise build once, without a nonce).
  const visitor = await browser.newPage();
  const visitorViolations = await watchViolations(visitor);
  const signIn = (await visitor.goto(`${dashboardOrigin}/sign-in`))!;
  await expectScriptsNamedBy(signIn, policyNonce(signIn));
  await expect(visitor.getByRole("button", { name: "Sign in" })).toBeVisible();
  expect(visitorViolations).toEqual([]);
  await visitor.close();
});

test("a page of another site that frames the endpoint page shows nothing of it", async ({ page }) => {
  await page.context().addCookies(cookies);
  const framing = createServer((_request, response) =>
    response
      .writeHead(200, { "content-type": "text/html" })
      .end(
        `<!doctype html><h1>Win a prize</h1><iframe src="${dashboardOrigin}${endpointPath}" width="800" height="600"></iframe>`,
      ),
  );
  await new Promise<void>((resolve) => framing.listen(0, "127.0.0.1", resolve));
  try {
    const refusals: string[] = [];
    page.on("console", (message) => refusals.push(message.text()));
    // Another port on the same loopback address: the same site, so the session cookie goes along.
    const framedResponse = page.waitForResponse((response) => response.url() === `${dashboardOrigin}${endpointPath}`);
    await page.goto(`http://127.0.0.1:${(framing.address() as AddressInfo).port}/`);
    expect((await framedResponse).status()).toBe(200);
    await expect.poll(() => refusals.join("\n")).toContain("frame-ancestors 'none'");
    const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
    expect(frame?.url()).not.toBe(`${dashboardOrigin}${endpointPath}`);
    await expect(page.frameLocator("iframe").getByText("Stripe live")).toHaveCount(0);
  } finally {
    await new Promise((resolve) => framing.close(resolve));
  }
});

test("a server action posted without the dashboard's Origin is refused with 403 and changes nothing", async ({ page }) => {
  await page.context().addCookies(cookies);
  await page.goto(endpointPath);
  const pause = await actionForm(page, "Pause endpoint");

  // page.request carries the session cookie and, unlike a browser, neither Origin nor Sec-Fetch-Site.
  const elsewhere: Array<Record<string, string>> = [
    {},
    { origin: "http://evil.example" },
    { origin: "null" },
    { "sec-fetch-site": "same-site" },
  ];
  for (const headers of elsewhere) {
    const refused = await page.request.post(endpointPath, { multipart: pause, headers, maxRedirects: 0 });
    expect(refused.status(), JSON.stringify(headers)).toBe(403);
    expect(await refused.text()).toContain("did not come from a page of the Hookloop dashboard");
  }
  await page.reload();
  await expect(page.getByRole("button", { name: "Pause endpoint" })).toBeVisible();

  // The very same post from the dashboard's origin is taken: the refusal was the origin's.
  const taken = await page.request.post(endpointPath, {
    multipart: pause,
    headers: { origin: dashboardOrigin },
    maxRedirects: 0,
  });
  expect(taken.status()).toBeLessThan(400);
  await page.reload();
  await expect(page.getByRole("button", { name: "Resume endpoint" })).toBeVisible();
  // Without Origin, Sec-Fetch-Site: same-origin is what a browser says of its own page's post.
  const resume = await actionForm(page, "Resume endpoint");
  const resumed = await page.request.post(endpointPath, {
    multipart: resume,
    headers: { "sec-fetch-site": "same-origin" },
    maxRedirects: 0,
  });
  expect(resumed.status()).toBeLessThan(400);
  await page.reload();
  await expect(page.getByRole("button", { name: "Pause endpoint" })).toBeVisible();

  // better-auth guards its own routes: signing out with the cookie but no Origin is refused too.
  const signOut = await page.request.post("/api/auth/sign-out", { data: {} });
  expect(signOut.status()).toBe(403);
  await page.goto("/endpoints");
  await expect(page).toHaveURL(/\/endpoints$/);
});

test("a replay asked to return to another site returns to the delivery instead", async ({ page, request }) => {
  await page.context().addCookies(cookies);
  // An event the endpoint does not take is ignored, so it can be replayed.
  const event = {
    id: `evt_${randomBytes(12).toString("hex")}`,
    object: "event",
    api_version: "2025-09-30.clover",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    type: "invoice.payment_failed",
    data: {
      object: {
        object: "invoice",
        id: "in_evil",
        customer: attacker.customer,
        customer_email: attacker.email,
        customer_name: attacker.name,
        amount_due: 900,
        currency: "usd",
      },
    },
  };
  const delivery = signed(event);
  expect((await request.post(ingestUrl, { headers: delivery.headers, data: delivery.body })).status()).toBe(200);
  await page.goto(`${endpointPath}?status=ignored`);
  await page.getByTestId("delivery-row").getByRole("link", { name: "invoice.payment_failed" }).click();
  await expect(page).toHaveURL(/\/deliveries\/[^/]+$/);
  const deliveryUrl = page.url();
  const deliveryPath = new URL(deliveryUrl).pathname;
  // Served whole (not reached by a client-side navigation), the form has its no-JavaScript fields.
  await page.reload();
  const replay = await actionForm(page, "Replay");

  // The form's hidden field, as a crafted page or a tampered form would send it.
  await page.locator('input[name="back"]').evaluate((input) => ((input as HTMLInputElement).value = "//evil.example/login"));
  await page.getByRole("button", { name: "Replay" }).click();
  await expect(async () => {
    await page.reload();
    await expect(page.locator(".badge").first()).toHaveText("processed", { timeout: 1_000 });
  }).toPass();
  expect(page.url()).toBe(deliveryUrl);

  // Posted without JavaScript (replayed already, so only the way back is left), the answer is a
  // 303 whose Location stays on the dashboard.
  for (const back of ["/\\evil.example", "https://evil.example/login", "/%2F%2Fevil.example"]) {
    const answer = await page.request.post(deliveryPath, {
      multipart: { ...replay, back },
      headers: { origin: dashboardOrigin },
      maxRedirects: 0,
    });
    expect(answer.status(), back).toBe(303);
    expect(answer.headers()["location"], back).toBe(deliveryPath);
  }
});

test("the audience export is kept by no cache, and a spreadsheet opens its cells as text", async ({ page }) => {
  await page.context().addCookies(cookies);
  const exported = await page.request.get("/audience/export");
  expect(exported.status()).toBe(200);
  expect(exported.headers()["cache-control"]).toMatch(/private/);
  expect(exported.headers()["cache-control"]).toMatch(/no-store/);
  expect(exported.headers()["x-content-type-options"]).toBe("nosniff");
  const csv = await exported.text();
  expect(csv).toContain(`"'${attacker.email}"`);
  expect(csv).toContain(`"'=HYPERLINK(""https://evil.example"",""Open"")","'@Hopper"`);
  expect(csv).toContain(`"'${attacker.customer}"`);
  expect(csv).not.toMatch(/(^|,)"[=+\-@\t\r]/m);
});
