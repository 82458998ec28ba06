import { isSupportedEventType, type SupportedEventType } from "./stripe-event-catalogue";
import type { TriggerCondition } from "./trigger-condition";

export type EndpointEventSetting = {
  eventType: string;
  enabled: boolean;
  triggerName: string | null;
  /** When set, the trigger event fires only if it holds (trigger-condition.ts). */
  condition?: TriggerCondition | null;
};

export type Classification = { accepted: true; type: SupportedEventType } | { accepted: false; reason: string };

/** Decides at the door whether a verified event is work for this endpoint. */
export function classifyEvent(type: string, settings: readonly EndpointEventSetting[]): Classification {
  if (!isSupportedEventType(type)) {
    return { accepted: false, reason: `Hookloop does not handle ${type} events.` };
  }
  const setting = settings.find((candidate) => candidate.eventType === type);
  if (!setting?.enabled) {
    return { accepted: false, reason: `${type} is not enabled on this endpoint.` };
  }
  return { accepted: true, type };
}
