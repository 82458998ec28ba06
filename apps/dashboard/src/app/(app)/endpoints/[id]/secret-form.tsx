"use client";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import type { FormAction } from "@/components/form-state";
import { RotationConfirmation, type RotationState } from "@/components/rotation-confirmation";
import { useFormAction } from "@/components/use-form-action";

export function SecretForm({
  action,
  endpointId,
  last4,
  refusal,
}: {
  action: FormAction<RotationState>;
  endpointId: string;
  last4: string | null;
  /** Why this user cannot change it (their role), when they cannot: said instead of the field. */
  refusal?: string;
}) {
  const { state, pending, formProps } = useFormAction(action, { resetOnSuccess: true });
  const error = state.fieldErrors?.secret ?? state.error;
  return (
    <form {...formProps}>
      <input type="hidden" name="endpointId" value={endpointId} />
      <p className="muted">
        {last4 ? (
          <>
            Current secret: <code>whsec_…{last4}</code>. Pasting a new one rotates it; the old one keeps working for 24 hours.
          </>
        ) : (
          "No signing secret yet: Hookloop refuses events until it can verify them."
        )}
      </p>
      {refusal ? (
        <p className="muted small">{refusal}</p>
      ) : (
        <>
          <Field
            id="secret"
            label="Signing secret"
            name="secret"
            type="password"
            autoComplete="off"
            placeholder="whsec_…"
            aria-invalid={Boolean(error)}
            aria-describedby="secret-message"
          />
          <RotationConfirmation state={state} pending={pending} confirmLabel="Drop it and save the new secret">
            <FormMessage id="secret-message" error={error} success={state.ok ? state.message : undefined} />
            <SubmitButton pending={pending} pendingLabel="Saving…">
              {last4 ? "Rotate secret" : "Save secret"}
            </SubmitButton>
          </RotationConfirmation>
        </>
      )}
    </form>
  );
}
