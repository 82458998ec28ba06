import { auditUrl, type DestinationUrlRules } from "@hookloop/domain";
import { recordAudit, type AuditActor } from "../audit/record-audit";
import { NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";
import { checkDestinationSettings, type DestinationSettings } from "./destination-settings";

export type UpdateDestinationOptions = DestinationUrlRules &
  DestinationSettings & {
    workspaceId: string;
    destinationId: string;
    /** A disabled destination receives no new messages and sends none of those waiting. */
    enabled: boolean;
    /** Who changes it, for the audit log. */
    actor?: AuditActor;
  };

/**
 * Saves a destination's name, URL, subscription and whether it is enabled, checked as when it was
 * made. New messages follow the new subscription; those already recorded keep going to the (new)
 * URL. Enabling it again makes what waited due at once, as a resume does: the ids returned are the
 * messages to queue once the transaction commits (queueMessages), or the relay queues them a little later.
 */
export async function updateDestination(tx: WorkspaceTx, options: UpdateDestinationOptions): Promise<string[]> {
  const { workspaceId, destinationId } = options;
  const row = await tx.destination.findFirst({
    where: { id: destinationId, workspaceId },
    select: { enabled: true, pausedAt: true, name: true, url: true, allTriggers: true, triggerNames: true, contactChanges: true },
  });
  if (!row) throw new NotFoundError("destination");
  const settings = await checkDestinationSettings(options, options);
  await tx.destination.update({ where: { id: destinationId }, data: { ...settings, enabled: options.enabled } });
  await recordAudit(tx, {
    workspaceId,
    actor: options.actor,
    action: "destination.settings_changed",
    target: { type: "destination", id: destinationId, label: settings.name },
    details: destinationChanges(row, { ...settings, enabled: options.enabled }),
  });
  if (!options.enabled) {
    await tx.messageOutbox.updateMany({ where: { destinationId }, data: { dueAt: null } });
    return [];
  }
  if (row.enabled || row.pausedAt) return [];
  const now = new Date();
  const waiting = await tx.messageOutbox.findMany({ where: { destinationId }, select: { messageId: true } });
  await tx.messageOutbox.updateMany({ where: { destinationId }, data: { dueAt: now } });
  await tx.message.updateMany({
    where: { destinationId, status: "pending", nextAttemptAt: { gt: now } },
    data: { nextAttemptAt: now },
  });
  return waiting.map((message) => message.messageId);
}

type DestinationColumns = {
  name: string;
  url: string;
  enabled: boolean;
  allTriggers: boolean;
  triggerNames: readonly string[];
  contactChanges: boolean;
};

/** Each setting that changed, as it is now and as it was (URLs without their query). */
function destinationChanges(was: DestinationColumns, now: DestinationColumns) {
  const triggers = (columns: DestinationColumns) => (columns.allTriggers ? "all" : [...columns.triggerNames]);
  const changes: Record<string, { from: string | boolean | string[]; to: string | boolean | string[] }> = {};
  if (was.name !== now.name) changes.name = { from: was.name, to: now.name };
  if (was.url !== now.url) changes.url = { from: auditUrl(was.url), to: auditUrl(now.url) };
  if (was.enabled !== now.enabled) changes.enabled = { from: was.enabled, to: now.enabled };
  if (JSON.stringify(triggers(was)) !== JSON.stringify(triggers(now)))
    changes.triggers = { from: triggers(was), to: triggers(now) };
  if (was.contactChanges !== now.contactChanges) changes.contactChanges = { from: was.contactChanges, to: now.contactChanges };
  return changes;
}
