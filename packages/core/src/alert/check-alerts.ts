import type { Db } from "@hookloop/db/client";
import {
  ALERT_BASELINE_DAYS,
  alertMail,
  endpointTrouble,
  managerRoles,
  pausedForFailures,
  type AlertKind,
  type AlertThresholds,
} from "@hookloop/domain";
import { z } from "zod";
import { withWorkspace, type WorkspaceTx } from "../workspace/with-workspace";

/** Sends one email; `@hookloop/mail`'s Mailer is one. */
export type AlertMailer = { send: (mail: { to: string; subject: string; text: string }) => Promise<void> };

export type CheckAlertsOptions = {
  thresholds: AlertThresholds;
  mailer: AlertMailer;
  /** The dashboard's public URL, for the link each notice carries. */
  dashboardUrl: string;
  now?: Date;
};

const refusalsSchema = z.array(z.object({ endpointId: z.string(), refused: z.coerce.number() }));

const activitySchema = z.array(
  z.object({
    endpointId: z.string(),
    before: z.coerce.number(),
    since: z.coerce.number(),
    failed: z.coerce.number(),
  }),
);

type Trouble = {
  kind: AlertKind;
  subjectType: "endpoint" | "destination";
  subjectId: string;
  subjectLabel: string;
  details: object;
};

/** What is wrong in one workspace now: its endpoints' activity and its destinations' pauses. */
async function troubleIn(tx: WorkspaceTx, workspaceId: string, thresholds: AlertThresholds, now: Date): Promise<Trouble[]> {
  const silenceStart = new Date(now.getTime() - thresholds.silenceMinutes * 60_000);
  const baselineStart = new Date(silenceStart.getTime() - ALERT_BASELINE_DAYS * 24 * 60 * 60_000);
  const hourAgo = new Date(now.getTime() - 60 * 60_000);
  const endpoints = await tx.endpoint.findMany({
    where: { workspaceId, enabled: true, deletedAt: null },
    select: { id: true, name: true },
  });
  const rows = activitySchema.parse(
    await tx.$queryRaw`
      SELECT endpoint_id AS "endpointId",
        count(*) FILTER (WHERE received_at >= ${baselineStart} AND received_at < ${silenceStart}) AS before,
        count(*) FILTER (WHERE received_at >= ${silenceStart}) AS since,
        count(*) FILTER (WHERE status = 'failed' AND received_at >= ${hourAgo}) AS failed
      FROM delivery
      WHERE workspace_id = ${workspaceId} AND received_at >= least(${baselineStart}::timestamptz, ${hourAgo}::timestamptz)
      GROUP BY endpoint_id`,
  );
  const activity = new Map(rows.map((row) => [row.endpointId, row]));
  // Ingest counts refused signatures per hour bucket: the bucket the hour began in, and those since.
  const refusals = refusalsSchema.parse(
    await tx.$queryRaw`
      SELECT endpoint_id AS "endpointId", sum(count) AS refused
      FROM endpoint_refusal
      WHERE workspace_id = ${workspaceId} AND hour >= date_trunc('hour', ${hourAgo}::timestamptz)
      GROUP BY endpoint_id`,
  );
  const refused = new Map(refusals.map((row) => [row.endpointId, row.refused]));
  const trouble: Trouble[] = [];
  for (const endpoint of endpoints) {
    const seen = activity.get(endpoint.id);
    const found = endpointTrouble(
      {
        deliveriesBefore: seen?.before ?? 0,
        deliveriesSince: seen?.since ?? 0,
        failedLastHour: seen?.failed ?? 0,
        signatureFailuresLastHour: refused.get(endpoint.id) ?? 0,
      },
      thresholds,
    );
    for (const { kind, details } of found) {
      trouble.push({ kind, subjectType: "endpoint", subjectId: endpoint.id, subjectLabel: endpoint.name, details });
    }
  }
  const paused = await tx.destination.findMany({
    where: { workspaceId, enabled: true, pausedAt: { not: null } },
    select: { id: true, name: true, pausedAt: true, pausedReason: true },
  });
  for (const destination of paused.filter(pausedForFailures)) {
    trouble.push({
      kind: "destination.paused",
      subjectType: "destination",
      subjectId: destination.id,
      subjectLabel: destination.name,
      details: { reason: destination.pausedReason },
    });
  }
  return trouble;
}

const keyOf = (alert: { kind: string; subjectId: string }) => `${alert.kind} ${alert.subjectId}`;

/**
 * Opens an alert for each trouble that has none open, and resolves each open alert whose trouble
 * is gone, in one transaction per workspace. A second check (another worker's, say) finding the
 * same trouble finds its alert already open: one open per workspace, kind and subject.
 */
async function openAndResolve(tx: WorkspaceTx, workspaceId: string, thresholds: AlertThresholds, now: Date) {
  const trouble = await troubleIn(tx, workspaceId, thresholds, now);
  const open = await tx.alert.findMany({
    where: { workspaceId, resolvedAt: null },
    select: { id: true, kind: true, subjectId: true },
  });
  const openKeys = new Set(open.map(keyOf));
  const troubleKeys = new Set(trouble.map(keyOf));
  const opening = trouble.filter((found) => !openKeys.has(keyOf(found)));
  if (opening.length) {
    await tx.alert.createMany({
      data: opening.map((found) => ({ workspaceId, ...found, details: found.details, openedAt: now })),
      skipDuplicates: true,
    });
  }
  const clearing = open.filter((alert) => !troubleKeys.has(keyOf(alert))).map((alert) => alert.id);
  if (clearing.length)
    await tx.alert.updateMany({ where: { id: { in: clearing }, resolvedAt: null }, data: { resolvedAt: now } });
  return { opened: opening.length, resolved: clearing.length };
}

type Phase = "opened" | "resolved";

/**
 * Emails each notice not yet sent to the workspace's owners and admins. A notice is claimed (its
 * time written) before it is sent, so two workers never both send it; a send that fails gives it
 * back for the next check. An alert that cleared before its opening could be told is not told at all.
 */
async function sendNotices(db: Db, workspace: { id: string; name: string }, options: CheckAlertsOptions, now: Date) {
  const inWorkspace = <T>(work: (tx: WorkspaceTx) => Promise<T>) => withWorkspace(db, workspace.id, work);
  const waiting = await inWorkspace((tx) =>
    tx.alert.findMany({
      where: { workspaceId: workspace.id, OR: [{ openedNoticeAt: null }, { resolvedAt: { not: null }, resolvedNoticeAt: null }] },
      orderBy: { openedAt: "asc" },
    }),
  );
  if (!waiting.length) return 0;
  const recipients = await inWorkspace((tx) =>
    tx.member.findMany({
      where: { workspaceId: workspace.id, role: { in: [...managerRoles] } },
      select: { user: { select: { email: true } } },
    }),
  );
  let sent = 0;
  for (const alert of waiting) {
    if (alert.openedNoticeAt === null && alert.resolvedAt !== null) {
      await inWorkspace((tx) =>
        tx.alert.updateMany({ where: { id: alert.id }, data: { openedNoticeAt: now, resolvedNoticeAt: now } }),
      );
      continue;
    }
    const phase: Phase = alert.openedNoticeAt === null ? "opened" : "resolved";
    const field = phase === "opened" ? "openedNoticeAt" : "resolvedNoticeAt";
    const claimed = await inWorkspace((tx) =>
      tx.alert.updateMany({ where: { id: alert.id, [field]: null }, data: { [field]: now } }),
    );
    if (!claimed.count) continue;
    const path = alert.subjectType === "destination" ? "destinations" : "endpoints";
    const mail = alertMail({
      kind: alert.kind as AlertKind,
      phase,
      workspace: workspace.name,
      subject: alert.subjectLabel,
      details: alert.details as Record<string, unknown>,
      openedAt: alert.openedAt,
      url: new URL(`/${path}/${alert.subjectId}`, options.dashboardUrl).toString(),
    });
    try {
      for (const { user } of recipients) await options.mailer.send({ to: user.email, ...mail });
      sent += 1;
    } catch (error) {
      await inWorkspace((tx) => tx.alert.updateMany({ where: { id: alert.id }, data: { [field]: null } }));
      throw error;
    }
  }
  return sent;
}

/**
 * The worker's periodic alert check, over every workspace: opens and resolves alerts as the
 * thresholds say, then emails each new notice once to the workspace's owners and admins.
 */
export async function checkAlerts(db: Db, options: CheckAlertsOptions) {
  const now = options.now ?? new Date();
  const workspaces = await db.workspace.findMany({ select: { id: true, name: true }, orderBy: { id: "asc" } });
  const totals = { opened: 0, resolved: 0, notices: 0 };
  for (const workspace of workspaces) {
    const changed = await withWorkspace(db, workspace.id, (tx) => openAndResolve(tx, workspace.id, options.thresholds, now));
    totals.opened += changed.opened;
    totals.resolved += changed.resolved;
    totals.notices += await sendNotices(db, workspace, options, now);
  }
  return totals;
}
