"use client";
import Link from "next/link";
import { ErrorMessage, SubmitButton } from "@/components/form";
import type { FormAction } from "@/components/form-state";
import { useFormAction } from "@/components/use-form-action";
import type { TestEventState } from "../actions";

export function TestEventForm({
  action,
  endpointId,
  eventTypes,
  hasSecret,
}: {
  action: FormAction<TestEventState>;
  endpointId: string;
  eventTypes: readonly string[];
  hasSecret: boolean;
}) {
  const { state, pending, formProps } = useFormAction(action);
  const result = state.result;
  return (
    <form {...formProps}>
      <input type="hidden" name="endpointId" value={endpointId} />
      <div className="row">
        <label htmlFor="test-event-type">Event</label>
        <select id="test-event-type" name="eventType" defaultValue="invoice.paid">
          {eventTypes.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
        <SubmitButton pending={pending} pendingLabel="Sending…" disabled={!hasSecret}>
          Send test event
        </SubmitButton>
      </div>
      {!hasSecret && <p className="muted">Paste the signing secret first: the test event is signed with it.</p>}
      <div aria-live="polite" data-testid="test-event-result">
        <ErrorMessage>{state.error}</ErrorMessage>
        {result && (
          <div className="notice test-result">
            {result.customerEvent && (
              <p>
                <code>{result.eventType}</code> needs a customer Hookloop already knows, so the test customer was introduced
                first, as Stripe would: <code>{result.customerEvent.eventType}</code> was answered{" "}
                <strong>{result.customerEvent.httpStatus}</strong> and its delivery is{" "}
                <span className={`badge ${result.customerEvent.delivery?.status ?? "failed"}`}>
                  {result.customerEvent.delivery?.status ?? "not recorded"}
                </span>
                .
              </p>
            )}
            <p>
              Ingest answered <strong>{result.httpStatus}</strong> for <code>{result.eventType}</code>.
            </p>
            {result.delivery ? (
              <>
                <p>
                  Delivery: <span className={`badge ${result.delivery.status}`}>{result.delivery.status}</span>{" "}
                  {result.delivery.reason}
                </p>
                {result.delivery.contact && (
                  <p>
                    Contact: <Link href={`/audience/${result.delivery.contact.id}`}>{result.delivery.contact.email}</Link>
                  </p>
                )}
                {result.delivery.triggerEvents.map((trigger) => (
                  <p key={trigger.id}>
                    Trigger event: <strong>{trigger.name}</strong>
                  </p>
                ))}
              </>
            ) : (
              <p>{typeof result.answer.message === "string" ? result.answer.message : "No delivery was recorded."}</p>
            )}
          </div>
        )}
      </div>
    </form>
  );
}
