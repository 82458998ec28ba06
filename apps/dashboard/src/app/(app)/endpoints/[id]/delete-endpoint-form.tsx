"use client";
// Deleting asks first, and says what follows: Stripe is turned away, the history stays.
import { useState } from "react";
import { FormMessage, SubmitButton } from "@/components/form";
import type { FormAction } from "@/components/form-state";
import { useFormAction } from "@/components/use-form-action";

export function DeleteEndpointForm({
  action,
  endpointId,
  name,
  deliveryCount,
}: {
  action: FormAction;
  endpointId: string;
  name: string;
  deliveryCount: number;
}) {
  const { state, pending, formProps } = useFormAction(action);
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="danger" onClick={() => setAsking(true)}>
        Delete endpoint…
      </button>
    );
  }
  const deliveries = deliveryCount === 1 ? "The 1 delivery" : `The ${deliveryCount.toLocaleString("en")} deliveries`;
  return (
    <form
      {...formProps}
      className="notice"
      role="alertdialog"
      aria-labelledby="delete-question"
      aria-describedby="delete-effects"
    >
      <input type="hidden" name="endpointId" value={endpointId} />
      <p id="delete-question">
        <strong>Delete “{name}”?</strong>
      </p>
      <ul id="delete-effects">
        <li>
          Stripe's next events to this endpoint's URL are refused with 404, as for a URL that never existed. Stripe retries each
          for up to three days, then gives up: remove the endpoint in Stripe too.
        </li>
        <li>
          {deliveries} it received are kept, and so are the contacts, their history and the trigger events they made: your
          Audience and Events do not change. The endpoint and its deliveries leave this list and cannot be replayed.
        </li>
        <li>This cannot be undone: to receive Stripe's events again, create a new endpoint (it gets a new URL).</li>
      </ul>
      <FormMessage error={state.error} />
      <div className="row">
        <SubmitButton pending={pending} pendingLabel="Deleting…">
          Delete “{name}”
        </SubmitButton>
        <button type="button" className="secondary" onClick={() => setAsking(false)}>
          Keep it
        </button>
      </div>
    </form>
  );
}
