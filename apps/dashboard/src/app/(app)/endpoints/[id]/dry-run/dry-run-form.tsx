"use client";
import type { DryRunContact, DryRunContactChange } from "@hookloop/core";
import { ErrorMessage, SubmitButton } from "@/components/form";
import type { FormAction } from "@/components/form-state";
import { useFormAction } from "@/components/use-form-action";
import type { DryRunState } from "./actions";

const describe = (contact: DryRunContact) =>
  [
    contact.email,
    [contact.firstName, contact.lastName].filter(Boolean).join(" ") || "no name",
    contact.subscribed ? "subscribed" : "unsubscribed",
    contact.subscriptionStatus && `${contact.subscriptionStatus}${contact.plan ? ` on ${contact.plan}` : ""}`,
  ]
    .filter(Boolean)
    .join(" · ");

function ContactChange({ change }: { change: DryRunContactChange }) {
  if (change.change === "created") return <li>Creates {describe(change.after)}</li>;
  if (change.change === "deleted") return <li>Deletes {describe(change.before)}</li>;
  return (
    <li>
      {change.before.email === change.after.email ? "Changes" : "Moves"} {describe(change.before)} → {describe(change.after)}
    </li>
  );
}

export function DryRunForm({
  action,
  endpointId,
  initialEvent,
}: {
  action: FormAction<DryRunState>;
  endpointId: string;
  initialEvent: string;
}) {
  const { state, pending, formProps } = useFormAction(action);
  const result = state.result;
  return (
    <form {...formProps}>
      <input type="hidden" name="endpointId" value={endpointId} />
      <div className="field">
        <label htmlFor="dry-run-event">Stripe event (JSON)</label>
        <textarea
          id="dry-run-event"
          name="event"
          rows={14}
          spellCheck={false}
          defaultValue={initialEvent}
          aria-invalid={state.fieldErrors?.event ? true : undefined}
          aria-describedby={state.fieldErrors?.event ? "dry-run-event-error" : undefined}
        />
        <ErrorMessage id="dry-run-event-error">{state.fieldErrors?.event}</ErrorMessage>
      </div>
      <SubmitButton pending={pending} pendingLabel="Running…">
        Dry run
      </SubmitButton>
      <div aria-live="polite" data-testid="dry-run-result">
        <ErrorMessage>{state.error}</ErrorMessage>
        {result && (
          <div className="notice test-result">
            {result.outcome === "processed" ? (
              <>
                <p>
                  Would be <span className="badge processed">processed</span>: {result.reason}
                  {result.alreadyApplied && " This event was applied before, so applying it again would change nothing."}
                </p>
                <h3>Contacts</h3>
                {result.contacts.length ? (
                  <ul>
                    {result.contacts.map((change, index) => (
                      <ContactChange key={index} change={change} />
                    ))}
                  </ul>
                ) : (
                  <p className="muted">No contact would change.</p>
                )}
                <h3>Trigger events</h3>
                {result.triggers.length ? (
                  <ul>
                    {result.triggers.map((trigger) => (
                      <li key={trigger.name}>
                        <strong>{trigger.name}</strong> for {trigger.email}
                        {Object.keys(trigger.properties).length > 0 && (
                          <>
                            {" "}
                            with <code>{JSON.stringify(trigger.properties)}</code>
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="muted">No trigger event would fire.</p>
                )}
                <h3>Messages to destinations</h3>
                {result.messages.length ? (
                  <ul>
                    {result.messages.map((message, index) => (
                      <li key={index}>
                        <code>{message.type}</code> to {message.destinationName}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="muted">No destination would get a message.</p>
                )}
              </>
            ) : (
              <p>
                Would be <span className={`badge ${result.outcome === "waiting" ? "queued" : "ignored"}`}>{result.outcome}</span>:{" "}
                {result.reason}
                {result.outcome === "waiting" && " The worker retries it until its customer's event arrives."}
              </p>
            )}
            <p className="muted small">Nothing was written: this was a dry run.</p>
          </div>
        )}
      </div>
    </form>
  );
}
