"use client";
import { useFormAction } from "../../../use-form-action";
import type { FormState } from "../../../form-state";

type EventRow = { eventType: string; description: string; enabled: boolean; triggerName: string };

export function SettingsForm({
  action,
  endpointId,
  events,
  onCustomerDeleted,
  syncNames,
}: {
  action: (state: FormState, form: FormData) => Promise<FormState>;
  endpointId: string;
  events: EventRow[];
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
                  <label htmlFor={`enabled-${id}`} style={{ margin: 0 }}>
                    <code>{event.eventType}</code>
                  </label>
                  <div className="muted" style={{ fontSize: "0.85rem" }}>
                    {event.description}
                  </div>
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
                  {error && (
                    <p id={`trigger-error-${id}`} className="error" role="alert">
                      {error}
                    </p>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="row" style={{ margin: "1rem 0" }}>
        <label htmlFor="on-customer-deleted" style={{ margin: 0 }}>
          When a customer is deleted in Stripe
        </label>
        <select id="on-customer-deleted" name="onCustomerDeleted" defaultValue={onCustomerDeleted}>
          <option value="unsubscribe">Unsubscribe the contact</option>
          <option value="delete">Delete the contact</option>
        </select>
      </div>
      <div className="row" style={{ marginBottom: "1rem" }}>
        <input type="checkbox" id="sync-names" name="syncNames" defaultChecked={syncNames} />
        <label htmlFor="sync-names" style={{ margin: 0 }}>
          Keep contacts' first and last names in sync with Stripe
        </label>
      </div>
      <div aria-live="polite">
        {state.error && (
          <p className="error" role="alert">
            {state.error}
          </p>
        )}
        {state.ok && <p className="success">{state.message}</p>}
      </div>
      <button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save events"}
      </button>
    </form>
  );
}
