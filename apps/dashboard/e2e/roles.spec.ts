// Roles as a team lives them: an owner invites an admin and a member; the member reads everything,
// sends tests and replays, and is refused every change, by the page and by the server when the
// owner's own request is replayed with the member's cookies; roles change, people are removed and
// leave. And a second secret rotation inside the 24-hour grace asks before it drops a secret.
import { createHmac, randomBytes } from "node:crypto";
import { expect, test, type Browser, type Page, type Request } from "@playwright/test";
import { confirmedAccount, linkIn, mailTo } from "./accounts";

test.describe.configure({ mode: "serial" });

const newSecret = () => `whsec_${randomBytes(24).toString("hex")}`;

/** What Stripe would POST to `url`, signed with `secret`: its answer's status. */
async function stripePosts(page: Page, url: string, secret: string) {
  const body = JSON.stringify({
    id: `evt_${randomBytes(12).toString("hex")}`,
    object: "event",
    api_version: "2025-09-30.clover",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    type: "invoice.paid",
    data: { object: { object: "invoice", id: "in_1", customer: "cus_ada", customer_email: "ada@example.com" } },
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  const response = await page.request.post(url, {
    headers: { "content-type": "application/json", "stripe-signature": `t=${timestamp},v1=${signature}` },
    data: body,
  });
  return response.status();
}

/** The next server action the page posts, as the browser sent it. */
const nextAction = (page: Page) =>
  page.waitForRequest((request) => request.method() === "POST" && Boolean(request.headers()["next-action"]));

/** Posts `action` again with `as`'s cookies instead of its sender's, and `edit` applied to its body; the answer's text. */
async function replayAs(as: Page, action: Request, edit: (body: string) => string = (body) => body) {
  const cookie = (await as.context().cookies()).map(({ name, value }) => `${name}=${value}`).join("; ");
  const response = await as.request.post(action.url(), {
    headers: { ...(await action.allHeaders()), cookie },
    data: edit(action.postData()!),
  });
  expect(response.status()).toBe(200);
  return response.text();
}

/** A confirmed, signed-in account of its own browser context, from loopback address `from`. */
async function person(browser: Browser, name: string, from: string) {
  const page = await (await browser.newContext()).newPage();
  const email = await confirmedAccount(page, name, from);
  return { page, email, name };
}

async function invite(owner: Page, email: string, role: "member" | "admin") {
  await owner.goto("/settings");
  await owner.getByLabel("Email", { exact: true }).fill(email);
  await owner.getByLabel("Role", { exact: true }).selectOption(role);
  await owner.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(owner.getByText(`Invited ${email} as ${role === "admin" ? "an admin" : "a member"}.`)).toBeVisible();
}

async function join(invited: { page: Page; email: string }) {
  await invited.page.goto(linkIn(await mailTo(invited.email, /invited you to Roles/)));
  await invited.page.getByRole("button", { name: "Join" }).click();
  await expect(invited.page).toHaveURL(/\/endpoints$/);
}

const memberRow = (page: Page, email: string) => page.getByTestId("member-row").filter({ hasText: email });

let owner: Awaited<ReturnType<typeof person>>;
let admin: Awaited<ReturnType<typeof person>>;
let member: Awaited<ReturnType<typeof person>>;
let endpointPath = "";
let ingestUrl = "";
const firstSecret = newSecret();
/** The owner's "make Mia an admin", replayed later from another workspace. */
let promotion: Request;

test("a member sees the endpoint, sends tests and replays, and every change is refused, also when replayed by hand", async ({
  browser,
}) => {
  owner = await person(browser, "Olivia Owner", "127.0.4.1");
  await owner.page.getByLabel("Workspace name").fill("Roles");
  await owner.page.getByRole("button", { name: "Create workspace" }).click();
  await expect(owner.page).toHaveURL(/\/endpoints$/);
  await owner.page.getByLabel("Name").fill("Stripe live");
  await owner.page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(owner.page).toHaveURL(/\/endpoints\/ep_/);
  endpointPath = new URL(owner.page.url()).pathname;
  ingestUrl = (await owner.page.getByTestId("endpoint-url").textContent())!.trim();

  // The owner's own requests, kept to be replayed as the member.
  await owner.page.getByLabel("Signing secret", { exact: true }).fill(firstSecret);
  const savedSecret = nextAction(owner.page);
  await owner.page.getByRole("button", { name: "Save secret" }).click();
  const secretAction = await savedSecret;
  await expect(owner.page.getByText(`Saved the signing secret ending in ${firstSecret.slice(-4)}.`)).toBeVisible();
  await owner.page.getByLabel("Accept invoice.paid").check();
  await owner.page.getByLabel("Trigger event name for invoice.paid").fill("ownerTrigger");
  const savedSettings = nextAction(owner.page);
  await owner.page.getByRole("button", { name: "Save events" }).click();
  const settingsAction = await savedSettings;
  await expect(owner.page.getByText("Saved. New events follow these settings.")).toBeVisible();

  admin = await person(browser, "Adam Admin", "127.0.4.2");
  member = await person(browser, "Mia Member", "127.0.4.3");
  await invite(owner.page, admin.email, "admin");
  await invite(owner.page, member.email, "member");
  await join(admin);
  await join(member);

  // The member reads the endpoint; the page offers no change and says who can make one.
  const page = member.page;
  await page.goto(endpointPath);
  await expect(page.getByText(`whsec_…${firstSecret.slice(-4)}`)).toBeVisible();
  await expect(page.getByText("Only the workspace's owners and admins can change endpoints.").first()).toBeVisible();
  await expect(page.getByLabel("Signing secret", { exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Pause endpoint" })).toHaveCount(0);
  await expect(page.getByLabel("Accept invoice.paid")).toBeDisabled();
  await expect(page.getByRole("button", { name: "Save events" })).toBeDisabled();
  await page.goto("/endpoints");
  await expect(page.getByRole("link", { name: "Stripe live" })).toBeVisible();
  await expect(page.getByText("Only the workspace's owners and admins can create endpoints.")).toBeVisible();

  // The server refuses the owner's requests sent with the member's cookies, and changes nothing.
  const forgedSecret = newSecret();
  expect(await replayAs(page, secretAction, (body) => body.replaceAll(firstSecret, forgedSecret))).toContain(
    "Only the workspace's owners and admins can change endpoints' signing secrets.",
  );
  expect(await replayAs(page, settingsAction, (body) => body.replaceAll("ownerTrigger", "evilTrigger1"))).toContain(
    "Only the workspace's owners and admins can change endpoints.",
  );
  await owner.page.goto(endpointPath);
  await expect(owner.page.getByText(`Current secret: whsec_…${firstSecret.slice(-4)}.`)).toBeVisible();
  await expect(owner.page.getByLabel("Trigger event name for invoice.paid")).toHaveValue("ownerTrigger");
  expect(await stripePosts(owner.page, ingestUrl, forgedSecret)).toBe(400);

  // A test event and a replay change no configuration: the member may.
  await page.goto(endpointPath);
  await page.getByLabel("Event", { exact: true }).selectOption("customer.created");
  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByTestId("test-event-result")).toContainText("Ingest answered 200");
  await page.reload();
  const ignored = page.getByTestId("delivery-row").filter({ hasText: "customer.created" });
  await expect(ignored).toContainText("ignored");
  await ignored.getByRole("button", { name: "Replay" }).click();
  await expect(page).toHaveURL(new RegExp(`${endpointPath}$`));
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("delivery-row").filter({ hasText: "customer.created" })).toContainText("processed", {
      timeout: 1_000,
    });
  }).toPass();

  // Settings: the member sees who is who, changes no one, and the destination pages say the same.
  await page.goto("/settings");
  await expect(memberRow(page, admin.email)).toContainText("admin");
  await expect(page.getByRole("button", { name: "Change role" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Remove / })).toHaveCount(0);
  await page.goto("/destinations");
  await expect(page.getByText("Only the workspace's owners and admins can create destinations.")).toBeVisible();
});

test("the owner makes the member an admin, who can then save; an admin cannot make owners", async () => {
  await owner.page.goto("/settings");
  const row = memberRow(owner.page, member.email);
  await row.getByLabel(`Role for ${member.email}`).selectOption("admin");
  const promoted = nextAction(owner.page);
  await row.getByRole("button", { name: "Change role" }).click();
  promotion = await promoted;
  await expect(row.getByText("Mia Member is now an admin.")).toBeVisible();

  const page = member.page;
  await page.goto(endpointPath);
  await page.getByLabel("Trigger event name for invoice.paid").fill("adminTrigger");
  await page.getByRole("button", { name: "Save events" }).click();
  await expect(page.getByText("Saved. New events follow these settings.")).toBeVisible();

  // Owner is no choice an admin is offered, and the owner's row is not theirs to change.
  await page.goto("/settings");
  const options = memberRow(page, admin.email).getByLabel(`Role for ${admin.email}`).locator("option");
  await expect(options).toHaveText(["Admin", "Member"]);
  await expect(memberRow(page, owner.email).getByRole("combobox")).toHaveCount(0);
  await expect(memberRow(page, owner.email)).toContainText("Only an owner can remove an owner.");
});

test("someone removed loses the workspace at once, and cannot change its members from another; a member leaves; the only owner cannot", async () => {
  await owner.page.goto("/settings");
  await memberRow(owner.page, admin.email)
    .getByRole("button", { name: `Remove ${admin.email}` })
    .click();
  await expect(memberRow(owner.page, admin.email)).toHaveCount(0);
  await admin.page.goto(endpointPath);
  await expect(admin.page).toHaveURL(/\/onboarding$/);
  await admin.page.goto("/settings");
  await expect(admin.page).toHaveURL(/\/onboarding$/);

  const row = memberRow(owner.page, member.email);
  await row.getByLabel(`Role for ${member.email}`).selectOption("member");
  await row.getByRole("button", { name: "Change role" }).click();
  await expect(row.getByText("Mia Member is now a member.")).toBeVisible();

  // Adam, owner of a workspace of his own now, replays "make Mia an admin": she is no member of his.
  await admin.page.getByLabel("Workspace name").fill("Elsewhere");
  await admin.page.getByRole("button", { name: "Create workspace" }).click();
  await expect(admin.page).toHaveURL(/\/endpoints$/);
  expect(await replayAs(admin.page, promotion)).toContain("This member does not exist in your workspace.");
  await owner.page.reload();
  await expect(memberRow(owner.page, member.email).getByLabel(`Role for ${member.email}`)).toHaveValue("member");
  await member.page.goto("/settings");
  const left = nextAction(member.page);
  await member.page.getByRole("button", { name: "Leave workspace" }).click();
  const leaveAction = await left;
  await expect(member.page).toHaveURL(/\/onboarding$/);
  await member.page.goto(endpointPath);
  await expect(member.page).toHaveURL(/\/onboarding$/);

  // Olivia is now alone and its only owner: the page says why she cannot leave, and the server
  // refuses the member's own "leave" sent with her cookies.
  await owner.page.goto("/settings");
  await expect(owner.page.getByTestId("member-row")).toHaveCount(1);
  await expect(
    owner.page.getByText("You are the only owner of this workspace, so you cannot leave it: make another member an owner first."),
  ).toBeVisible();
  await expect(owner.page.getByRole("button", { name: "Leave workspace" })).toBeDisabled();
  expect(await replayAs(owner.page, leaveAction)).toContain("You are the only owner of this workspace");
  await owner.page.goto("/endpoints");
  await expect(owner.page).toHaveURL(/\/endpoints$/);
});

test("a second rotation inside the 24 hours names the secret it would drop, and drops it only once confirmed", async () => {
  const page = owner.page;
  await page.goto(endpointPath);
  const secondSecret = newSecret();
  await page.getByLabel("Signing secret", { exact: true }).fill(secondSecret);
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await expect(page.getByText("Saved. The previous secret keeps working until")).toBeVisible();

  // Pasting a third asks first, naming Stripe's secret, which is still accepted.
  const thirdSecret = newSecret();
  const field = page.getByLabel("Signing secret", { exact: true });
  await field.fill(thirdSecret);
  await page.getByRole("button", { name: "Rotate secret" }).click();
  const question = page.getByRole("alertdialog");
  await expect(question).toContainText(`The secret ending in …${firstSecret.slice(-4)}, still accepted until`);
  await expect(question).toContainText("stops working at once");
  await question.getByRole("button", { name: "Keep it" }).click();
  await expect(question).toHaveCount(0);
  await page.reload();
  await expect(page.getByText(`Current secret: whsec_…${secondSecret.slice(-4)}.`)).toBeVisible();
  expect(await stripePosts(page, ingestUrl, firstSecret)).toBe(200);

  await field.fill(thirdSecret);
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await page.getByRole("button", { name: "Drop it and save the new secret" }).click();
  await expect(page.getByText("Saved. The previous secret keeps working until")).toBeVisible();
  await expect(page.getByText(`Current secret: whsec_…${thirdSecret.slice(-4)}.`)).toBeVisible();
  // Within the ingest cache's few seconds, Stripe's first secret is refused; the other two verify.
  await expect.poll(() => stripePosts(page, ingestUrl, firstSecret)).toBe(400);
  expect(await stripePosts(page, ingestUrl, secondSecret)).toBe(200);
  expect(await stripePosts(page, ingestUrl, thirdSecret)).toBe(200);

  // A destination's rotation asks the same way.
  await page.goto("/destinations");
  await page.getByLabel("Name").fill("CRM");
  await page.getByLabel("URL").fill("http://127.0.0.1:9/hooks");
  await page.getByRole("button", { name: "Create destination" }).click();
  await expect(page).toHaveURL(/\/destinations\/dst_/);
  await page.getByRole("button", { name: "Reveal" }).click();
  const shown = page.getByTestId("destination-secret");
  const original = (await shown.textContent())!.trim();
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await expect(page.getByText("Rotated. Messages carry a signature with the previous secret too until")).toBeVisible();
  await expect(shown).not.toHaveText(original);
  const rotated = (await shown.textContent())!.trim();
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await expect(page.getByRole("alertdialog")).toContainText(
    `The secret ending in …${original.slice(-4)}, still signing messages until`,
  );
  await expect(shown).toHaveText(rotated);
  await page.getByRole("button", { name: "Drop it and rotate" }).click();
  await expect(page.getByText("The secret from before the last rotation stopped signing now")).toBeVisible();
  await expect(shown).not.toHaveText(rotated);
});
