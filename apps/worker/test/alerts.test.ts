// The worker's alert check, with mail sent over SMTP to a real server (@hookloop/testing/mailbox):
// owners and admins are told once per incident, with a link to look at, and again when it clears.
import { randomBytes, randomUUID } from "node:crypto";
import { expect } from "vitest";
import { checkAlerts, createWorkspace, listOpenAlerts, withWorkspace } from "@hookloop/core";
import type { Db } from "@hookloop/db/client";
import { defaultAlertThresholds } from "@hookloop/domain";
import { createMailer } from "@hookloop/mail";
import { test as baseTest } from "@hookloop/testing/fixtures";
import { startMailbox } from "@hookloop/testing/mailbox";
import { createDestination, createEndpoint } from "@hookloop/core";

const dashboardUrl = "https://hookloop.example";
const hour = 60 * 60 * 1000;

const test = baseTest.extend("mailbox", { scope: "file" }, async ({}, { onCleanup }) => {
  const mailbox = await startMailbox();
  onCleanup(() => mailbox.close());
  return mailbox;
});

/** A workspace with an owner, an admin and a member, and one endpoint. */
async function team(db: Db, appDb: Db, box: Parameters<typeof createEndpoint>[1]["box"]) {
  const workspace = await createWorkspace(appDb, { name: `Acme ${randomBytes(2).toString("hex")}` });
  const people: Record<"owner" | "admin" | "member", string> = { owner: "", admin: "", member: "" };
  for (const role of ["owner", "admin", "member"] as const) {
    const email = `${role}-${randomBytes(4).toString("hex")}@alerts.test`;
    const user = await db.user.create({ data: { id: randomUUID(), name: role, email, emailVerified: true } });
    await db.member.create({ data: { id: randomUUID(), workspaceId: workspace.id, userId: user.id, role } });
    people[role] = email;
  }
  const endpoint = await withWorkspace(appDb, workspace.id, (tx) =>
    createEndpoint(tx, { box, workspaceId: workspace.id, name: "Stripe live" }),
  );
  return { workspace, endpointId: endpoint.id, people };
}

async function deliveries(
  db: Db,
  at: { workspaceId: string; endpointId: string },
  count: number,
  receivedAt: Date,
  status: "processed" | "failed",
) {
  await db.delivery.createMany({
    data: Array.from({ length: count }, () => ({
      ...at,
      stripeEventId: `evt_${randomBytes(8).toString("hex")}`,
      type: "invoice.paid",
      livemode: false,
      stripeCreatedAt: receivedAt,
      receivedAt,
      status,
      payload: {},
    })),
  });
}

test("an endpoint that usually receives events and goes silent: told once to owners and admins, then resolved", async ({
  db,
  appDb,
  box,
  mailbox,
}) => {
  const { workspace, endpointId, people } = await team(db, appDb, box);
  const mailer = createMailer({ smtpUrl: mailbox.smtpUrl, from: "Hookloop <alerts@hookloop.example>", log: () => undefined });
  const now = new Date();
  await deliveries(db, { workspaceId: workspace.id, endpointId }, 25, new Date(now.getTime() - 2 * 24 * hour), "processed");
  const check = (at: Date) => checkAlerts(appDb, { thresholds: defaultAlertThresholds, mailer, dashboardUrl, now: at });

  await check(now);
  const subject = new RegExp(`^\\[${workspace.name}\\] Alert: Stripe live has received no events$`);
  for (const to of [people.owner, people.admin]) {
    const mail = await mailbox.next(to, subject);
    expect(mail.text).toContain(
      "Stripe live has received no events from Stripe for 6 hours, though it received 25 in the week before.",
    );
    expect(mail.text).toContain(`${dashboardUrl}/endpoints/${endpointId}`);
  }
  // The banner's source: the open alert on the endpoint.
  const open = await withWorkspace(appDb, workspace.id, (tx) =>
    listOpenAlerts(tx, { workspaceId: workspace.id, subjectId: endpointId }),
  );
  expect(open.map((alert) => alert.kind)).toEqual(["endpoint.silent"]);

  // Still silent a minute later: no second mail.
  await check(new Date(now.getTime() + 60_000));
  const toTeam = () => mailbox.received.filter((mail) => mail.subject.startsWith(`[${workspace.name}]`));
  expect(toTeam()).toHaveLength(2);
  expect(toTeam().flatMap((mail) => mail.to)).not.toContain(people.member);

  // Stripe sends again: resolved, told once.
  await deliveries(db, { workspaceId: workspace.id, endpointId }, 1, new Date(now.getTime() + 90_000), "processed");
  await check(new Date(now.getTime() + 120_000));
  const resolved = await mailbox.next(
    people.owner,
    new RegExp(`^\\[${workspace.name}\\] Resolved: Stripe live has received no events$`),
  );
  expect(resolved.text).toContain("is resolved");
  await mailbox.next(people.admin, /Resolved: Stripe live/);
  await check(new Date(now.getTime() + 180_000));
  expect(toTeam()).toHaveLength(4);
  expect(
    await withWorkspace(appDb, workspace.id, (tx) => listOpenAlerts(tx, { workspaceId: workspace.id, subjectId: endpointId })),
  ).toEqual([]);
});

test("failed deliveries above the hourly threshold open one alert; a new endpoint with no history never counts as silent", async ({
  db,
  appDb,
  box,
  mailbox,
}) => {
  const { workspace, endpointId, people } = await team(db, appDb, box);
  const mailer = createMailer({ smtpUrl: mailbox.smtpUrl, from: "Hookloop <alerts@hookloop.example>", log: () => undefined });
  const now = new Date();
  await deliveries(db, { workspaceId: workspace.id, endpointId }, 9, new Date(now.getTime() - 10 * 60_000), "failed");
  const check = (at: Date) => checkAlerts(appDb, { thresholds: defaultAlertThresholds, mailer, dashboardUrl, now: at });
  await check(now);
  expect(mailbox.received.filter((mail) => mail.subject.startsWith(`[${workspace.name}]`))).toEqual([]);

  await deliveries(db, { workspaceId: workspace.id, endpointId }, 1, new Date(now.getTime() - 5 * 60_000), "failed");
  await check(now);
  const mail = await mailbox.next(people.owner, new RegExp(`^\\[${workspace.name}\\] Alert: Stripe live is failing$`));
  expect(mail.text).toContain(
    "Stripe live had 10 failed deliveries and 0 refused signatures in the last hour (the alert threshold is 10).",
  );
  await check(new Date(now.getTime() + 60_000));
  expect(mailbox.received.filter((sent) => sent.subject.includes(`[${workspace.name}] Alert`))).toHaveLength(2);

  // Its only deliveries are this hour's: it has no usual traffic to go silent from.
  expect(
    mailbox.received.filter((sent) => sent.subject === `[${workspace.name}] Alert: Stripe live has received no events`),
  ).toEqual([]);
  // An hour and more later the failures have aged out: resolved.
  await check(new Date(now.getTime() + 2 * hour));
  await mailbox.next(people.admin, new RegExp(`^\\[${workspace.name}\\] Resolved: Stripe live is failing$`));
});

test("refused signatures count towards failing with failed deliveries", async ({ db, appDb, box, mailbox }) => {
  const { workspace, endpointId, people } = await team(db, appDb, box);
  const mailer = createMailer({ smtpUrl: mailbox.smtpUrl, from: "Hookloop <alerts@hookloop.example>", log: () => undefined });
  const now = new Date();
  await deliveries(db, { workspaceId: workspace.id, endpointId }, 3, new Date(now.getTime() - 10 * 60_000), "failed");
  const hourStart = new Date(Math.floor(now.getTime() / hour) * hour);
  await db.endpointRefusal.createMany({
    data: [
      { workspaceId: workspace.id, endpointId, cause: "no_matching_signature", hour: hourStart, count: 5, lastAt: now },
      { workspaceId: workspace.id, endpointId, cause: "stale_timestamp", hour: hourStart, count: 2, lastAt: now },
      // A day old: not this hour's.
      {
        workspaceId: workspace.id,
        endpointId,
        cause: "missing_signature",
        hour: new Date(hourStart.getTime() - 24 * hour),
        count: 50,
        lastAt: now,
      },
    ],
  });
  await checkAlerts(appDb, { thresholds: defaultAlertThresholds, mailer, dashboardUrl, now });
  const mail = await mailbox.next(people.owner, new RegExp(`^\\[${workspace.name}\\] Alert: Stripe live is failing$`));
  expect(mail.text).toContain("Stripe live had 3 failed deliveries and 7 refused signatures in the last hour");
});

test("a destination paused for failures alerts, one a member paused does not, and resuming resolves it", async ({
  db,
  appDb,
  box,
  mailbox,
}) => {
  const { workspace, people } = await team(db, appDb, box);
  const mailer = createMailer({ smtpUrl: mailbox.smtpUrl, from: "Hookloop <alerts@hookloop.example>", log: () => undefined });
  const make = (name: string) =>
    withWorkspace(appDb, workspace.id, (tx) =>
      createDestination(tx, {
        box,
        workspaceId: workspace.id,
        name,
        url: "https://crm.example/hooks",
        triggers: "all",
        contactChanges: false,
        allowPrivateTargets: false,
      }),
    );
  const failing = await make("CRM");
  const held = await make("Warehouse");
  await db.destination.update({
    where: { id: failing.id },
    data: { pausedAt: new Date(), pausedReason: "The destination answered 410 Gone: paused until it is resumed." },
  });
  await db.destination.update({
    where: { id: held.id },
    data: { pausedAt: new Date(), pausedReason: "Paused by someone@alerts.test at 2026-12-01 10:00:00 UTC." },
  });
  const check = () => checkAlerts(appDb, { thresholds: defaultAlertThresholds, mailer, dashboardUrl });
  await check();
  const mail = await mailbox.next(people.owner, new RegExp(`^\\[${workspace.name}\\] Alert: CRM was paused for failures$`));
  expect(mail.text).toContain("The destination answered 410 Gone");
  expect(mail.text).toContain(`${dashboardUrl}/destinations/${failing.id}`);
  expect(mailbox.received.filter((sent) => sent.subject.includes("Warehouse"))).toEqual([]);

  await db.destination.update({ where: { id: failing.id }, data: { pausedAt: null, pausedReason: null } });
  await check();
  await mailbox.next(people.admin, new RegExp(`^\\[${workspace.name}\\] Resolved: CRM was paused for failures$`));
});

test("a notice whose mail fails is sent on the next check, once; another workspace's alerts are never visible", async ({
  db,
  appDb,
  box,
  mailbox,
}) => {
  const { workspace, endpointId, people } = await team(db, appDb, box);
  const stranger = await team(db, appDb, box);
  const now = new Date();
  await deliveries(db, { workspaceId: workspace.id, endpointId }, 10, new Date(now.getTime() - 60_000), "failed");
  // An SMTP server that is not there: the check fails and keeps the notice for the next one.
  const down = createMailer({ smtpUrl: "smtp://127.0.0.1:1", from: "Hookloop <alerts@hookloop.example>", log: () => undefined });
  await expect(checkAlerts(appDb, { thresholds: defaultAlertThresholds, mailer: down, dashboardUrl, now })).rejects.toThrow();
  const mailer = createMailer({ smtpUrl: mailbox.smtpUrl, from: "Hookloop <alerts@hookloop.example>", log: () => undefined });
  await checkAlerts(appDb, { thresholds: defaultAlertThresholds, mailer, dashboardUrl, now });
  await mailbox.next(people.owner, new RegExp(`^\\[${workspace.name}\\] Alert: Stripe live is failing$`));
  await checkAlerts(appDb, { thresholds: defaultAlertThresholds, mailer, dashboardUrl, now });
  expect(mailbox.received.filter((sent) => sent.subject === `[${workspace.name}] Alert: Stripe live is failing`)).toHaveLength(2);

  const seenByStranger = await withWorkspace(appDb, stranger.workspace.id, (tx) =>
    listOpenAlerts(tx, { workspaceId: workspace.id, subjectId: endpointId }),
  );
  expect(seenByStranger).toEqual([]);
});
