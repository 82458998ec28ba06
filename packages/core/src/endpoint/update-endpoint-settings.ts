import {
  conditionKindsFor,
  describeCondition,
  isSupportedEventType,
  subscriptionChangeSettingTypes,
  triggerNameSchema,
  type TriggerCondition,
} from "@hookloop/domain";
import { Prisma } from "@hookloop/db/client";
import { recordAudit, type AuditActor } from "../audit/record-audit";
import { InvalidInputError, NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type UpdateEndpointSettingsOptions = {
  workspaceId: string;
  endpointId: string;
  events: ReadonlyArray<{
    eventType: string;
    enabled: boolean;
    triggerName: string | null;
    /** When its trigger event fires; null or left out: always. */
    condition?: TriggerCondition | null;
  }>;
  onCustomerDeleted: "delete" | "unsubscribe";
  syncNames: boolean;
  /** Who changes them, for the audit log. */
  actor?: AuditActor;
};

/** Field errors keyed by event type, for a form to show next to each row. */
export class EndpointSettingsError extends InvalidInputError {
  constructor(readonly fieldErrors: Record<string, string>) {
    super("Some trigger event names or conditions need fixing.");
  }
}

/** Saves which events an endpoint accepts, their trigger names, and its contact rules. */
export async function updateEndpointSettings(tx: WorkspaceTx, options: UpdateEndpointSettingsOptions) {
  const fieldErrors: Record<string, string> = {};
  const changed = options.events.map(({ eventType, enabled, triggerName, condition = null }) => {
    const stripeEvent = isSupportedEventType(eventType);
    if (!stripeEvent && !subscriptionChangeSettingTypes.includes(eventType)) {
      throw new InvalidInputError(`${eventType} is not a Stripe event Hookloop handles.`);
    }
    if (condition && !(stripeEvent && conditionKindsFor(eventType).includes(condition.kind))) {
      fieldErrors[eventType] = `${eventType} cannot fire ${describeCondition(condition)}: its events do not say so.`;
    }
    const trimmed = triggerName?.trim() ?? "";
    if (!trimmed) return { eventType, enabled, triggerName: null, condition };
    const parsed = triggerNameSchema.safeParse(trimmed);
    if (!parsed.success) fieldErrors[eventType] = parsed.error.issues[0]!.message;
    return { eventType, enabled, triggerName: parsed.success ? parsed.data : null, condition };
  });
  if (Object.keys(fieldErrors).length) throw new EndpointSettingsError(fieldErrors);

  const endpoint = await tx.endpoint.findFirst({
    where: { id: options.endpointId, workspaceId: options.workspaceId },
    select: {
      id: true,
      name: true,
      onCustomerDeleted: true,
      syncNames: true,
      events: { select: { eventType: true, enabled: true, triggerName: true, condition: true } },
    },
  });
  if (!endpoint) throw new NotFoundError("endpoint");
  await tx.endpoint.update({
    where: { id: endpoint.id },
    data: { onCustomerDeleted: options.onCustomerDeleted, syncNames: options.syncNames },
  });
  for (const { condition, ...event } of changed) {
    const stored = condition ?? Prisma.DbNull;
    await tx.endpointEvent.upsert({
      where: { endpointId_eventType: { endpointId: endpoint.id, eventType: event.eventType } },
      create: { endpointId: endpoint.id, workspaceId: options.workspaceId, ...event, condition: stored },
      update: { enabled: event.enabled, triggerName: event.triggerName, condition: stored },
    });
  }
  // What changed, event by event: enough to tell which mapping moved, from what to what.
  const before = new Map(endpoint.events.map((event) => [event.eventType, event]));
  const events = changed.flatMap(({ eventType, enabled, triggerName, condition }) => {
    const was = before.get(eventType);
    const sameCondition = JSON.stringify(was?.condition ?? null) === JSON.stringify(condition);
    if (was && was.enabled === enabled && was.triggerName === triggerName && sameCondition) return [];
    return [
      {
        eventType,
        enabled,
        triggerName,
        ...(sameCondition ? {} : { condition: condition ? describeCondition(condition) : "always" }),
        ...(was ? { was: { enabled: was.enabled, triggerName: was.triggerName } } : {}),
      },
    ];
  });
  await recordAudit(tx, {
    workspaceId: options.workspaceId,
    actor: options.actor,
    action: "endpoint.settings_changed",
    target: { type: "endpoint", id: endpoint.id, label: endpoint.name },
    details: {
      events,
      ...(endpoint.onCustomerDeleted !== options.onCustomerDeleted
        ? { onCustomerDeleted: options.onCustomerDeleted, wasOnCustomerDeleted: endpoint.onCustomerDeleted }
        : {}),
      ...(endpoint.syncNames !== options.syncNames ? { syncNames: options.syncNames } : {}),
    },
  });
}
