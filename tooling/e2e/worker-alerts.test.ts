// The worker as a process does its own housekeeping: it checks for trouble on its own timer and
// emails owners over SMTP (a real server, @hookloop/testing/mailbox), and on its first relay pass
// deletes audit entries past their 400 days.
import { randomBytes, randomUUID } from "node:crypto";
import { expect } from "vitest";
import { createEndpoint, createWorkspace, withWorkspace } from "@hookloop/core";
import { test } from "@hookloop/testing/fixtures";
import { startMailbox } from "@hookloop/testing/mailbox";
import { freePort, startApp, waitUntil } from "./processes";

test("a silent endpoint is emailed to its owner by the worker's own check, and year-old audit entries are purged", async ({
  environment,
  db,
  box,
}) => {
  const mailbox = await startMailbox();
  const workspace = await createWorkspace(db, { name: "Acme" });
  const owner = `owner-${randomBytes(4).toString("hex")}@alerts.test`;
  const user = await db.user.create({ data: { id: randomUUID(), name: "Owner", email: owner, emailVerified: true } });
  await db.member.create({ data: { id: randomUUID(), workspaceId: workspace.id, userId: user.id, role: "owner" } });
  const endpoint = await withWorkspace(db, workspace.id, (tx) =>
    createEndpoint(tx, { box, workspaceId: workspace.id, name: "Stripe live" }),
  );
  const yesterday = new Date(Date.now() - 24 * 60 * 60 * 1000);
  await db.delivery.createMany({
    data: Array.from({ length: 20 }, (_, index) => ({
      workspaceId: workspace.id,
      endpointId: endpoint.id,
      stripeEventId: `evt_old_${index}`,
      type: "invoice.paid",
      livemode: false,
      stripeCreatedAt: yesterday,
      receivedAt: yesterday,
      status: "processed" as const,
      payload: {},
    })),
  });
  await db.auditEntry.create({
    data: {
      workspaceId: workspace.id,
      actorKind: "cli",
      actorLabel: "CLI",
      action: "endpoint.renamed",
      targetType: "endpoint",
      targetId: endpoint.id,
      createdAt: new Date(Date.now() - 401 * 24 * 60 * 60 * 1000),
    },
  });

  const port = await freePort();
  const worker = startApp("apps/worker/src/main.ts", {
    ...environment.env,
    WORKER_HEALTH_PORT: String(port),
    RELAY_INTERVAL_MS: "200",
    SMTP_URL: mailbox.smtpUrl,
    DASHBOARD_URL: "https://hookloop.example",
    ALERT_INTERVAL_MS: "1000",
    ALERT_SILENCE_MINUTES: "60",
  });
  try {
    const mail = await mailbox.next(owner, /^\[Acme\] Alert: Stripe live has received no events$/, 25_000);
    expect(mail.text).toContain(`https://hookloop.example/endpoints/${endpoint.id}`);
    await waitUntil(
      async () => (await db.auditEntry.count({ where: { workspaceId: workspace.id, action: "endpoint.renamed" } })) === 0,
      {
        what: "the worker to purge the year-old entry",
      },
    );
    // The endpoint's own creation, this year, stays.
    expect(await db.auditEntry.count({ where: { workspaceId: workspace.id, action: "endpoint.created" } })).toBe(1);
  } finally {
    await worker.stop("SIGTERM");
    await mailbox.close();
  }
});
