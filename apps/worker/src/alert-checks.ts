import { checkAlerts } from "@hookloop/core";
import type { Db } from "@hookloop/db/client";
import { createMailer } from "@hookloop/mail";
import type { WorkerEnv } from "./env";

type Logger = { info: (fields: object, message: string) => void; warn: (fields: object, message: string) => void };

/**
 * Checks for trouble every ALERT_INTERVAL_MS, one check at a time: alerts opened and resolved, and
 * their emails to owners and admins (SMTP_URL, else the log). A check that fails is logged and the
 * next one tries again; a notice whose mail failed is sent then.
 */
export function startAlertChecks(db: Db, env: WorkerEnv, logger: Logger) {
  const mailer = createMailer({
    smtpUrl: env.SMTP_URL,
    from: env.MAIL_FROM,
    log: (line) => logger.info({}, line),
  });
  const thresholds = {
    silenceMinutes: env.ALERT_SILENCE_MINUTES,
    usualDeliveries: env.ALERT_USUAL_DELIVERIES,
    failuresPerHour: env.ALERT_FAILURES_PER_HOUR,
  };
  let checking: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (checking) return;
    checking = checkAlerts(db, { thresholds, mailer, dashboardUrl: env.DASHBOARD_URL })
      .then((totals) => (totals.opened || totals.resolved) && logger.info(totals, "alerts checked"))
      .catch((error: unknown) => logger.warn({ err: error }, "alert check failed"))
      .finally(() => (checking = null));
  }, env.ALERT_INTERVAL_MS);
  return {
    close: async () => {
      clearInterval(timer);
      await checking;
      mailer.close();
    },
  };
}
