"use client";
import { useState } from "react";
import type { TriggerCondition, TriggerConditionKind } from "@hookloop/domain";
import { ErrorMessage, FormMessage, SubmitButton } from "@/components/form";
import type { FormAction } from "@/components/form-state";
import { useFormAction } from "@/components/use-form-action";

type EventRow = {
  eventType: string;
  description: string;
  enabled: boolean;
  triggerName: string;
  condition: TriggerCondition | null;
  /** The conditions this event's trigger event can be held to. */
  conditionKinds: readonly TriggerConditionKind[];
};

const conditionLabels: Record<TriggerConditionKind, string> = {
  first_invoice: "first invoice of a subscription",
  min_amount: "amount at least",
  plan: "plan is",
};

/** "Only when…": a kind, and the amount or plan it needs. */
function ConditionField({ event, id }: { event: EventRow; id: string }) {
  const [kind, setKind] = useState<string>(event.condition?.kind ?? "");
  if (!event.conditionKinds.length) return <span className="muted small">always</span>;
  const value =
    event.condition?.kind === "min_amount"
      ? String(event.condition.amount)
      : event.condition?.kind === "plan"
        ? event.condition.plan
        : "";
  return (
    <div className="row">
      <select
        name={`condition:${event.eventType}`}
        value={kind}
        onChange={(change) => setKind(change.target.value)}
        aria-label={`Condition for ${event.eventType}`}
      >
        <option value="">always</option>
        {event.conditionKinds.map((option) => (
          <option key={option} value={option}>
            {conditionLabels[option]}
          </option>
        ))}
      </select>
      {(kind === "min_amount" || kind === "plan") && (
        <input
          type="text"
          id={`condition-value-${id}`}
          name={`conditionValue:${event.eventType}`}
          defaultValue={value}
          inputMode={kind === "min_amount" ? "numeric" : undefined}
          placeholder={kind === "min_amount" ? "4900 (= $49.00)" : "Pro"}
          aria-label={kind === "min_amount" ? `Minimum amount for ${event.eventType}` : `Plan for ${event.eventType}`}
          maxLength={200}
        />
      )}
    </div>
  );
}

/** A subscription change a trigger event can be named for, kept beside the events as `subscription:<kind>`. */
type ChangeRow = { eventType: string; description: string; enabled: boolean; triggerName: string };

export function SettingsForm({
  action,
  endpointId,
  events,
  subscriptionChanges,
  onCustomerDeleted,
  syncNames,
}: {
  action: FormAction;
  endpointId: string;
  events: EventRow[];
  subscriptionChanges: ChangeRow[];
  onCustomerDeleted: "delete" | "unsubscribe";
  syncNames: boolean;
}) {
  const { state, pending, formProps } = useFormAction(action);
  return (
    <form {...formProps}>
      <input type="hidden" name="endpointId" value={endpointId} />
      <table>
        <thead>
          <tr>
            <th scope="col">On</th>
            <th scope="col">Stripe event</th>
            <th scope="col">Trigger event name</th>
            <th scope="col">Fires only when</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => {
            const error = state.fieldErrors?.[event.eventType];
            const id = event.eventType.replaceAll(".", "-");
            return (
              <tr key={event.eventType}>
                <td>
                  <input
                    type="checkbox"
                    id={`enabled-${id}`}
                    name={`enabled:${event.eventType}`}
                    defaultChecked={event.enabled}
                    aria-label={`Accept ${event.eventType}`}
                  />
                </td>
                <td>
                  <label htmlFor={`enabled-${id}`}>
                    <code>{event.eventType}</code>
                  </label>
                  <div className="muted small">{event.description}</div>
                </td>
                <td>
                  <input
                    type="text"
                    name={`trigger:${event.eventType}`}
                    defaultValue={event.triggerName}
                    aria-label={`Trigger event name for ${event.eventType}`}
                    aria-invalid={Boolean(error)}
                    aria-describedby={error ? `trigger-error-${id}` : undefined}
                    placeholder="none"
                    maxLength={64}
                  />
                  <ErrorMessage id={`trigger-error-${id}`}>{error}</ErrorMessage>
                </td>
                <td>
                  <ConditionField event={event} id={id} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3>Subscription changes</h3>
      <p className="muted small">
        Fired once per change, when the subscription events Hookloop has, in Stripe's order, first show it (whichever arrives
        first), on the subscription's contact.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">On</th>
            <th scope="col">When</th>
            <th scope="col">Trigger event name</th>
          </tr>
        </thead>
        <tbody>
          {subscriptionChanges.map((change) => {
            const error = state.fieldErrors?.[change.eventType];
            const id = change.eventType.replace(/[.:]/g, "-");
            return (
              <tr key={change.eventType}>
                <td>
                  <input
                    type="checkbox"
                    id={`enabled-${id}`}
                    name={`enabled:${change.eventType}`}
                    defaultChecked={change.enabled}
                    aria-label={`Fire on: ${change.description}`}
                  />
                </td>
                <td>
                  <label htmlFor={`enabled-${id}`}>{change.description}</label>
                </td>
                <td>
                  <input
                    type="text"
                    name={`trigger:${change.eventType}`}
                    defaultValue={change.triggerName}
                    aria-label={`Trigger event name for: ${change.description}`}
                    aria-invalid={Boolean(error)}
                    aria-describedby={error ? `trigger-error-${id}` : undefined}
                    placeholder="none"
                    maxLength={64}
                  />
                  <ErrorMessage id={`trigger-error-${id}`}>{error}</ErrorMessage>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="row toolbar">
        <label htmlFor="on-customer-deleted">When a customer is deleted in Stripe</label>
        <select id="on-customer-deleted" name="onCustomerDeleted" defaultValue={onCustomerDeleted}>
          <option value="unsubscribe">Unsubscribe the contact</option>
          <option value="delete">Delete the contact</option>
        </select>
      </div>
      <div className="row toolbar">
        <input type="checkbox" id="sync-names" name="syncNames" defaultChecked={syncNames} />
        <label htmlFor="sync-names">Keep contacts' first and last names in sync with Stripe</label>
      </div>
      <FormMessage error={state.error} success={state.ok ? state.message : undefined} />
      <SubmitButton pending={pending} pendingLabel="Saving…">
        Save events
      </SubmitButton>
    </form>
  );
}
