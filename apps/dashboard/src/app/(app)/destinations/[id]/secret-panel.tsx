"use client";
import { useState } from "react";
import { CopyButton } from "@/components/copy-button";
import { FormMessage, SubmitButton } from "@/components/form";
import type { FormAction } from "@/components/form-state";
import { RotationConfirmation, type RotationState } from "@/components/rotation-confirmation";
import { useFormAction } from "@/components/use-form-action";

/**
 * The signing secret, hidden until revealed, with copy, and the rotate button (which asks first when
 * rotating would drop the previous secret before its 24 hours are over).
 */
export function SecretPanel({
  action,
  destinationId,
  secret,
  previousSecretExpiresAt,
  refusal,
}: {
  action: FormAction<RotationState>;
  destinationId: string;
  secret: string;
  previousSecretExpiresAt: string | null;
  /** Why this user cannot rotate it (their role), when they cannot: said instead of the button. */
  refusal?: string;
}) {
  const [revealed, setRevealed] = useState(false);
  const { state, pending, formProps } = useFormAction(action);
  return (
    <>
      <div className="row">
        <code className="url" data-testid="destination-secret">
          {revealed ? secret : `whsec_${"•".repeat(24)}`}
        </code>
        <button type="button" className="secondary" aria-pressed={revealed} onClick={() => setRevealed(!revealed)}>
          {revealed ? "Hide" : "Reveal"}
        </button>
        <CopyButton text={secret} label="Copy secret" />
      </div>
      {previousSecretExpiresAt && (
        <p className="muted small">The previous secret signs alongside this one until {previousSecretExpiresAt}.</p>
      )}
      {refusal ? (
        <p className="muted small">{refusal}</p>
      ) : (
        <form {...formProps}>
          <input type="hidden" name="destinationId" value={destinationId} />
          <p className="muted small">
            Rotating makes a new secret; messages carry a signature with the old one too for 24 hours, so your receiver keeps
            verifying while you update it.
          </p>
          <RotationConfirmation state={state} pending={pending} confirmLabel="Drop it and rotate">
            <FormMessage error={state.error} success={state.ok ? state.message : undefined} />
            <SubmitButton pending={pending} pendingLabel="Rotating…">
              Rotate secret
            </SubmitButton>
          </RotationConfirmation>
        </form>
      )}
    </>
  );
}
