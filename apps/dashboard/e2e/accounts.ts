// How a test becomes a signed-in marketer, the way a person would: through the pages, and through
// the emails the dashboard sends (e2e/run.ts runs a real SMTP server and serves what it received
// at MAILBOX_URL).
import { randomBytes } from "node:crypto";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { expect, type Page } from "@playwright/test";

export const password = "correct horse battery staple";

/** An address no other test uses. */
export const address = (name: string) => `${name}-${randomBytes(4).toString("hex")}@accounts.test`;

type ReceivedMail = { to: string[]; subject: string; text: string };

/** Every mail received so far for `email` whose subject matches, oldest first. */
export async function mailsTo(email: string, subject: RegExp): Promise<ReceivedMail[]> {
  const response = await fetch(`${process.env.MAILBOX_URL}/messages`);
  const received = (await response.json()) as ReceivedMail[];
  return received.filter((mail) => mail.to.includes(email.toLowerCase()) && subject.test(mail.subject));
}

/** The newest mail to `email` with a matching subject, waiting for it to arrive. */
export async function mailTo(email: string, subject: RegExp): Promise<ReceivedMail> {
  let mails: ReceivedMail[] = [];
  await expect
    .poll(async () => (mails = await mailsTo(email, subject)).length, { message: `a mail to ${email}` })
    .toBeGreaterThan(0);
  return mails.at(-1)!;
}

/** The link a mail carries (the first one, when it carries several). */
export function linkIn(mail: ReceivedMail): string {
  const link = /https?:\/\/\S+/.exec(mail.text)?.[0];
  if (!link) throw new Error(`no link in "${mail.subject}"`);
  return link;
}

/**
 * Signs up, then confirms the address from the email, which signs the new account in. Through the
 * sign-up page; or, `from` a loopback address of its own, posted as a script would, which leaves
 * the browser's sign-up limit (10 a minute from 127.0.0.1) to the tests about signing up.
 */
export async function createAccount(page: Page, name: string, email: string, { from }: { from?: string } = {}) {
  if (from) {
    const created = await post("/sign-up/email", { name, email, password, callbackURL: "/email-confirmed" }, { from });
    expect(created.status, created.body).toBe(200);
  } else {
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-up$/);
    await page.getByLabel("Your name").fill(name);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  }
  await page.goto(linkIn(await mailTo(email, /Confirm your email/)));
  await expect(page).toHaveURL(/\/onboarding$/);
}

export async function signUp(page: Page, name: string, email: string, workspace: string, options: { from?: string } = {}) {
  await createAccount(page, name, email, options);
  await page.getByLabel("Workspace name").fill(workspace);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(/\/endpoints$/);
}

export async function signIn(page: Page, email: string, secret = password) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(secret);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * POSTs to better-auth as a script would, from loopback address `from`, with any X-Forwarded-For
 * it likes and, unless told another, the dashboard's own Origin.
 */
export function post(path: string, body: object, options: { from: string; forwardedFor?: string; origin?: string }) {
  const url = new URL(`/api/auth${path}`, process.env.DASHBOARD_URL);
  return new Promise<{ status: number; body: string; headers: IncomingHttpHeaders }>((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method: "POST",
        localAddress: options.from,
        headers: {
          "content-type": "application/json",
          origin: options.origin ?? url.origin,
          ...(options.forwardedFor ? { "x-forwarded-for": options.forwardedFor } : {}),
        },
      },
      (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
      },
    );
    request.on("error", reject);
    request.end(JSON.stringify(body));
  });
}

/** A new confirmed account, signed in in `page`, made `from` a loopback address of its own; its email. */
export async function confirmedAccount(page: Page, name: string, from: string) {
  const email = address(name.split(" ")[0]!.toLowerCase());
  await createAccount(page, name, email, { from });
  return email;
}
