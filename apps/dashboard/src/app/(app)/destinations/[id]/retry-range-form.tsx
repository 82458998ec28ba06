"use client";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import type { FormAction } from "@/components/form-state";
import { useFormAction } from "@/components/use-form-action";

/** Every failed message created in a range, tried once more; `from` and `to` are UTC, to the minute. */
export function RetryRangeForm({
  action,
  destinationId,
  from,
  to,
}: {
  action: FormAction;
  destinationId: string;
  from: string;
  to: string;
}) {
  const { state, pending, formProps } = useFormAction(action);
  return (
    <form {...formProps}>
      <input type="hidden" name="destinationId" value={destinationId} />
      <div className="row">
        <Field
          id="retry-from"
          label="Created from (UTC)"
          name="from"
          type="datetime-local"
          defaultValue={from}
          error={state.fieldErrors?.from}
        />
        <Field id="retry-to" label="to (UTC)" name="to" type="datetime-local" defaultValue={to} error={state.fieldErrors?.to} />
      </div>
      <FormMessage error={state.error} success={state.ok ? state.message : undefined} />
      <SubmitButton pending={pending} pendingLabel="Retrying…">
        Retry failed messages
      </SubmitButton>
    </form>
  );
}
