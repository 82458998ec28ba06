"use client";
import { useState } from "react";
import { ErrorMessage, Field, FormMessage, SubmitButton } from "@/components/form";
import type { FormAction } from "@/components/form-state";
import { useFormAction } from "@/components/use-form-action";

export type DestinationFormValues = {
  id?: string;
  name: string;
  url: string;
  triggers: "all" | readonly string[];
  contactChanges: boolean;
  enabled: boolean;
};

const empty: DestinationFormValues = { name: "", url: "", triggers: "all", contactChanges: false, enabled: true };

/**
 * A destination's name, URL and what it receives: every trigger event, or chosen names (the
 * workspace's, ticked, and any other typed in), and the contact changes. Creates one without
 * `values`; edits `values` otherwise, with its enabled switch.
 */
export function DestinationForm({
  action,
  values = empty,
  triggerNames,
  allowPrivateTargets,
  submitLabel,
}: {
  action: FormAction;
  values?: DestinationFormValues;
  triggerNames: readonly string[];
  allowPrivateTargets: boolean;
  submitLabel: string;
}) {
  const { state, pending, formProps } = useFormAction(action);
  const [mode, setMode] = useState<"all" | "chosen">(values.triggers === "all" ? "all" : "chosen");
  const chosen = values.triggers === "all" ? [] : values.triggers;
  const offered = [...new Set([...triggerNames, ...chosen])].sort((a, b) => a.localeCompare(b));
  const prefix = values.id ? "destination" : "new-destination";
  const errors = state.fieldErrors ?? {};
  return (
    <form {...formProps}>
      {values.id && <input type="hidden" name="destinationId" value={values.id} />}
      <Field
        id={`${prefix}-name`}
        label="Name"
        name="name"
        type="text"
        defaultValue={values.name}
        placeholder="Loops"
        maxLength={100}
        error={errors.name}
      />
      <Field
        id={`${prefix}-url`}
        label="URL"
        name="url"
        type="text"
        inputMode="url"
        defaultValue={values.url}
        placeholder="https://example.com/webhooks/hookloop"
        error={errors.url}
        hint={
          allowPrivateTargets
            ? "Private and loopback addresses are allowed here, over http:// too."
            : "A public https:// address: Hookloop checks where it leads before every message."
        }
      />
      <fieldset className="choices" aria-describedby={errors.triggers ? `${prefix}-triggers-error` : undefined}>
        <legend>Trigger events it receives</legend>
        <div className="row">
          <input
            type="radio"
            id={`${prefix}-all`}
            name="triggerMode"
            value="all"
            checked={mode === "all"}
            onChange={() => setMode("all")}
          />
          <label htmlFor={`${prefix}-all`}>Every trigger event</label>
        </div>
        <div className="row">
          <input
            type="radio"
            id={`${prefix}-chosen`}
            name="triggerMode"
            value="chosen"
            checked={mode === "chosen"}
            onChange={() => setMode("chosen")}
          />
          <label htmlFor={`${prefix}-chosen`}>Only these</label>
        </div>
        {mode === "chosen" && (
          <div className="indent">
            {offered.length === 0 && (
              <p className="muted small">No trigger names yet: name them on an endpoint, or type them below.</p>
            )}
            {offered.map((name) => (
              <div className="row" key={name}>
                <input
                  type="checkbox"
                  id={`${prefix}-trigger-${name}`}
                  name="trigger"
                  value={name}
                  defaultChecked={chosen.includes(name)}
                />
                <label htmlFor={`${prefix}-trigger-${name}`}>
                  <code>{name}</code>
                </label>
              </div>
            ))}
            <Field
              id={`${prefix}-other-triggers`}
              label="Other trigger names"
              name="otherTriggers"
              type="text"
              placeholder="trialEnding, refundIssued"
              hint="Separated by commas."
            />
          </div>
        )}
        <ErrorMessage id={`${prefix}-triggers-error`}>{errors.triggers}</ErrorMessage>
      </fieldset>
      <div className="row toolbar">
        <input type="checkbox" id={`${prefix}-contact-changes`} name="contactChanges" defaultChecked={values.contactChanges} />
        <label htmlFor={`${prefix}-contact-changes`}>
          Contact changes too (contact.created, contact.updated, contact.unsubscribed, contact.deleted)
        </label>
      </div>
      {values.id ? (
        <div className="row toolbar">
          <input type="checkbox" id={`${prefix}-enabled`} name="enabled" defaultChecked={values.enabled} />
          <label htmlFor={`${prefix}-enabled`}>Enabled: new messages are recorded and sent</label>
        </div>
      ) : (
        <input type="hidden" name="enabled" value="on" />
      )}
      {/* A refusal that names a field shows under that field alone. */}
      <FormMessage error={state.fieldErrors ? undefined : state.error} success={state.ok ? state.message : undefined} />
      <SubmitButton pending={pending} pendingLabel="Saving…">
        {submitLabel}
      </SubmitButton>
    </form>
  );
}
