/**
 * Alerts: trouble a workspace's owners and admins are told about by email, once per incident, and
 * told again when it clears. The worker's alert check measures; these rules decide.
 */
export const alertKinds = {
  "endpoint.silent": "has received no events",
  "endpoint.failing": "is failing",
  "destination.paused": "was paused for failures",
} as const;

export type AlertKind = keyof typeof alertKinds;

export type AlertThresholds = {
  /** How long without a delivery makes an endpoint that usually receives events silent. */
  silenceMinutes: number;
  /** "Usually receives": at least this many deliveries in the 7 days before the silence began. */
  usualDeliveries: number;
  /** Failed deliveries plus refused signatures in the last hour that make an endpoint failing. */
  failuresPerHour: number;
};

export const defaultAlertThresholds: AlertThresholds = { silenceMinutes: 360, usualDeliveries: 20, failuresPerHour: 10 };

/** How far back "usually" looks, before the silence window. */
export const ALERT_BASELINE_DAYS = 7;

export type EndpointActivity = {
  /** Deliveries received in the 7 days before the silence window. */
  deliveriesBefore: number;
  /** Deliveries received within the silence window (up to now). */
  deliveriesSince: number;
  /** Deliveries received in the last hour that failed. */
  failedLastHour: number;
  /** Requests refused for their signature in the last hour. */
  signatureFailuresLastHour: number;
};

/** What is wrong with an endpoint now, each with what the notice and the banner say about it. */
export function endpointTrouble(activity: EndpointActivity, thresholds: AlertThresholds) {
  const trouble: Array<{ kind: AlertKind; details: Record<string, number> }> = [];
  if (activity.deliveriesBefore >= thresholds.usualDeliveries && activity.deliveriesSince === 0) {
    trouble.push({
      kind: "endpoint.silent",
      details: { silenceMinutes: thresholds.silenceMinutes, deliveriesBefore: activity.deliveriesBefore },
    });
  }
  const failures = activity.failedLastHour + activity.signatureFailuresLastHour;
  if (failures >= thresholds.failuresPerHour) {
    trouble.push({
      kind: "endpoint.failing",
      details: {
        failedLastHour: activity.failedLastHour,
        signatureFailuresLastHour: activity.signatureFailuresLastHour,
        threshold: thresholds.failuresPerHour,
      },
    });
  }
  return trouble;
}

/**
 * Whether a paused destination was paused for failures (a 410 Gone, or 5 days failing), not by a
 * member: a member's pause says "Paused by …".
 */
export const pausedForFailures = (destination: { pausedAt: Date | null; pausedReason: string | null }) =>
  destination.pausedAt !== null && !(destination.pausedReason ?? "").startsWith("Paused by ");

export type AlertNoticeInput = {
  kind: AlertKind;
  phase: "opened" | "resolved";
  workspace: string;
  subject: string;
  details: Record<string, unknown>;
  openedAt: Date;
  /** Where to look: the endpoint's or destination's page. */
  url: string;
};

const hours = (minutes: number) => (minutes % 60 === 0 ? `${minutes / 60} hours` : `${minutes} minutes`);
const utc = (date: Date) => `${date.toISOString().replace("T", " ").slice(0, 16)} UTC`;

/** One line on what is wrong, for the email and the endpoint page's banner. */
export function alertSummary(kind: AlertKind, subject: string, details: Record<string, unknown>): string {
  const number = (key: string) => (typeof details[key] === "number" ? details[key] : 0);
  switch (kind) {
    case "endpoint.silent":
      return `${subject} has received no events from Stripe for ${hours(number("silenceMinutes"))}, though it received ${number("deliveriesBefore")} in the week before.`;
    case "endpoint.failing":
      return `${subject} had ${number("failedLastHour")} failed deliveries and ${number("signatureFailuresLastHour")} refused signatures in the last hour (the alert threshold is ${number("threshold")}).`;
    case "destination.paused":
      return `${subject} was paused for failures: ${typeof details.reason === "string" ? details.reason : "its messages wait until it is resumed."}`;
  }
}

/** The email an owner or admin gets when an incident opens, and when it clears. */
export function alertMail(notice: AlertNoticeInput): { subject: string; text: string } {
  const what = `${notice.subject} ${alertKinds[notice.kind]}`;
  if (notice.phase === "opened") {
    return {
      subject: `[${notice.workspace}] Alert: ${what}`,
      text: [
        alertSummary(notice.kind, notice.subject, notice.details),
        "",
        `Look at it here: ${notice.url}`,
        "",
        `Hookloop tells you once per incident, and again when it clears. Seen at ${utc(notice.openedAt)}.`,
      ].join("\n"),
    };
  }
  return {
    subject: `[${notice.workspace}] Resolved: ${what}`,
    text: [
      `This has cleared: ${alertSummary(notice.kind, notice.subject, notice.details)}`,
      "",
      `The alert opened at ${utc(notice.openedAt)} is resolved. Details: ${notice.url}`,
    ].join("\n"),
  };
}
