// Accounts as an attacker tries them: an address nobody proved, an invitation meant for someone
// else, a password from a list, and rate limits steered with X-Forwarded-For. Every mail is read
// from the real SMTP server e2e/run.ts runs, and every link in it followed.
import { expect, test, type Page } from "@playwright/test";
import { address, confirmedAccount, linkIn, mailTo, mailsTo, password, post, signIn, signUp } from "./accounts";

test.describe.configure({ mode: "serial" });

/** Signs up through the page and returns what it answered; nothing is confirmed. */
async function submitSignUp(page: Page, email: string, secret = password) {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Someone");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(secret);
  await page.getByRole("button", { name: "Create account" }).click();
}

const postSignIn = (email: string, secret: string, options: { from: string; forwardedFor?: string }) =>
  post("/sign-in/email", { email, password: secret }, options);

test("an address is proved before it has an account, and sign-up answers alike when it already has one", async ({ page }) => {
  const email = address("ada");
  await submitSignUp(page, email);
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();

  // The right password, but the address is not confirmed: no session, and a fresh link.
  await signIn(page, email);
  await expect(page.locator("#auth-error")).toHaveText(`Confirm your email first: we sent a new link to ${email}.`);
  await page.goto("/onboarding");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect.poll(async () => (await mailsTo(email, /Confirm your email/)).length).toBe(2);

  await page.goto(linkIn(await mailTo(email, /Confirm your email/)));
  await expect(page).toHaveURL(/\/onboarding$/);
  await page.context().clearCookies();

  // Signing up again with the address says exactly what it said the first time; the mail says why.
  await submitSignUp(page, email, "an entirely different passphrase");
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  const notice = await mailTo(email, /already have a Hookloop account/);
  expect(notice.text).toContain("which already has one");
  // The second password never became the account's. (Posted from an address of its own: the
  // browser's five sign-ins a minute belong to dashboard.spec.ts, which runs next.)
  const second = await postSignIn(email, "an entirely different passphrase", { from: "127.0.4.4" });
  expect(second.status).toBe(401);
  expect(second.body).toMatch(/invalid email or password/i);
});

test("a common password, or ten spaces, is refused with the reason, and no account is made", async ({ page }) => {
  const email = address("weak");
  await submitSignUp(page, email, "password12");
  await expect(page.locator("#auth-error")).toContainText("That password is too easy to guess.");
  // Ten spaces, as a script would post them.
  const spaces = await post("/sign-up/email", { name: "Someone", email, password: " ".repeat(10) }, { from: "127.0.4.3" });
  expect(spaces.status).toBe(400);
  expect(spaces.body).toContain("That password is too easy to guess.");
  expect(await mailsTo(email, /./)).toEqual([]);
});

test("an invitation goes only to whoever proves the invited address", async ({ page, browser }) => {
  const owner = address("olivia");
  const invited = address("tom");
  await signUp(page, "Olivia Owner", owner, "Invites");
  await page.goto("/settings");
  await page.getByLabel("Email", { exact: true }).fill(invited);
  await page.getByRole("button", { name: "Invite" }).click();
  await expect(page.getByText(`Invited ${invited} as a member.`)).toBeVisible();
  const invitationLink = linkIn(await mailTo(invited, /invited you to Invites/));
  await page.context().clearCookies();

  // Mallory registers the invited address with her own password. She cannot read its mail, so she
  // never gets a session, and the workspace stays out of reach.
  const mallory = await browser.newPage();
  await submitSignUp(mallory, invited, "mallory's own passphrase");
  await expect(mallory.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  // (Sign-ins here are posted from loopback addresses of their own, leaving the browser's
  // five a minute to dashboard.spec.ts, which runs next.)
  const unconfirmed = await postSignIn(invited, "mallory's own passphrase", { from: "127.0.4.1" });
  expect(unconfirmed.status).toBe(403);
  expect(unconfirmed.body).toContain("EMAIL_NOT_VERIFIED");
  await mallory.goto(invitationLink);
  await expect(mallory.getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(mallory.getByRole("button", { name: "Join" })).toHaveCount(0);

  // Eve has a confirmed account of her own: the link tells her it is not hers, and her replay of
  // the real "Join" is refused with that reason, not an error page.
  const eve = await browser.newPage();
  await confirmedAccount(eve, "Eve Else", "127.0.3.1");
  await eve.goto(invitationLink);
  await expect(eve.getByText(`This invitation is for ${invited}`)).toBeVisible();

  // Tom, who owns the address, is told it already has an account, chooses a new password from the
  // mail (which replaces Mallory's), confirms the address and joins.
  await submitSignUp(page, invited, "tom's real passphrase here");
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await mailTo(invited, /already have a Hookloop account/);
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(invited);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByText(`If ${invited} has a Hookloop account, we sent it a link`)).toBeVisible();
  const reset = linkIn(await mailTo(invited, /Choose a new Hookloop password/));
  await page.goto(reset);
  await page.getByLabel("New password").fill("tom's real passphrase here");
  await page.getByRole("button", { name: "Save the new password" }).click();
  await expect(page.getByText("Your password is changed")).toBeVisible();
  // The reset link works once.
  await page.goto(reset);
  await expect(page.getByText("This link has expired or was already used.")).toBeVisible();
  await expect(page.getByLabel("New password")).toHaveCount(0);
  expect((await postSignIn(invited, "mallory's own passphrase", { from: "127.0.4.1" })).status).toBe(401);

  // Tom's sign-in is still refused until he confirms; it mails him a fresh link, which signs him in.
  const confirmations = (await mailsTo(invited, /Confirm your email/)).length;
  expect((await postSignIn(invited, "tom's real passphrase here", { from: "127.0.4.2" })).status).toBe(403);
  await expect.poll(async () => (await mailsTo(invited, /Confirm your email/)).length).toBe(confirmations + 1);
  await page.goto(linkIn(await mailTo(invited, /Confirm your email/)));
  await expect(page).toHaveURL(/\/onboarding$/);
  await page.goto(invitationLink);
  const join = page.waitForRequest((request) => request.method() === "POST" && Boolean(request.headers()["next-action"]));
  await page.route(/\/invitations\//, (route) => (route.request().method() === "POST" ? route.abort() : route.continue()), {
    times: 1,
  });
  await page.getByRole("button", { name: "Join" }).click();
  const action = await join;
  const eveCookies = (await eve.context().cookies()).map(({ name, value }) => `${name}=${value}`).join("; ");
  const replayed = await eve.request.post(action.url(), {
    headers: { ...(await action.allHeaders()), cookie: eveCookies },
    data: action.postData()!,
  });
  expect(replayed.status()).toBe(200);
  expect(await replayed.text()).toContain("This invitation is for another email address.");

  // Tom's own Join (the one held back above broke that page, so it is opened afresh).
  await page.goto(invitationLink);
  await page.getByRole("button", { name: "Join" }).click();
  await expect(page).toHaveURL(/\/endpoints$/);
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Members of Invites" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: invited })).toContainText("member");
});

test("X-Forwarded-For cannot steer the sign-in limit: rotating it is still limited, naming someone locks nobody out", async ({
  page,
}) => {
  const victim = await confirmedAccount(page, "Victor Victim", "127.0.3.2");
  const attacker = "127.0.0.3";
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 6; attempt++) {
    // Each attempt claims another client, the last ones the victim's own address.
    const forwardedFor = attempt < 3 ? `198.51.100.${attempt + 1}` : "127.0.0.2";
    statuses.push((await postSignIn(victim, `wrong guess ${attempt}`, { from: attacker, forwardedFor })).status);
  }
  expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  // The victim, on their own address, signs in: the attacker's attempts were counted against the attacker.
  expect((await postSignIn(victim, password, { from: "127.0.0.2" })).status).toBe(200);
});

test("ten wrong passwords pause sign-in to that account from anywhere, until a new password is chosen", async ({ page }) => {
  const email = await confirmedAccount(page, "Tara Target", "127.0.3.3");
  // One guess from each of ten addresses: no IP limit is reached, the account's limit is.
  for (let attempt = 0; attempt < 10; attempt++) {
    expect((await postSignIn(email, `guess number ${attempt}`, { from: `127.0.1.${attempt + 1}` })).status).toBe(401);
  }
  const locked = await postSignIn(email, password, { from: "127.0.2.1" });
  expect(locked.status).toBe(429);
  expect(locked.body).toContain("sign-in to this account is paused for 15 minutes");

  await page.context().clearCookies();
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await page.goto(linkIn(await mailTo(email, /Choose a new Hookloop password/)));
  await page.getByLabel("New password").fill("a brand new long passphrase");
  await page.getByRole("button", { name: "Save the new password" }).click();
  await expect(page.getByText("Your password is changed")).toBeVisible();
  expect((await postSignIn(email, "a brand new long passphrase", { from: "127.0.2.2" })).status).toBe(200);
});
