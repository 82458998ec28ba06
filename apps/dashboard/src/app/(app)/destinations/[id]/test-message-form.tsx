"use client";
import { ErrorMessage, SubmitButton } from "@/components/form";
import type { FormAction } from "@/components/form-state";
import { useFormAction } from "@/components/use-form-action";
import type { TestMessageState } from "../actions";

export function TestMessageForm({ action, destinationId }: { action: FormAction<TestMessageState>; destinationId: string }) {
  const { state, pending, formProps } = useFormAction(action);
  const attempt = state.attempt;
  return (
    <form {...formProps}>
      <input type="hidden" name="destinationId" value={destinationId} />
      <SubmitButton pending={pending} pendingLabel="Sending…">
        Send test message
      </SubmitButton>
      <div aria-live="polite" data-testid="test-message-result">
        <ErrorMessage>{state.error}</ErrorMessage>
        {attempt && (
          <div className="notice test-result">
            {attempt.status === null ? (
              <p>
                No answer after {attempt.latencyMs} ms: <strong>{attempt.error}</strong>
              </p>
            ) : (
              <p>
                Your receiver answered <strong>{attempt.status}</strong> in {attempt.latencyMs} ms
                {attempt.outcome === "delivered" ? ": delivered." : ": Hookloop would try a real message again later."}
                {attempt.error && <> ({attempt.error})</>}
              </p>
            )}
            {attempt.responseBody && <pre className="answer">{attempt.responseBody}</pre>}
          </div>
        )}
      </div>
    </form>
  );
}
