"use client";
import { CopyButton } from "@/components/copy-button";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import type { FormAction } from "@/components/form-state";
import { useFormAction } from "@/components/use-form-action";
import type { CreatedApiKeyState } from "./api-key-actions";

/** Naming and scoping a new key, then the key itself, in full, this once. */
export function CreateApiKeyForm({ action }: { action: FormAction<CreatedApiKeyState> }) {
  const { state, pending, formProps } = useFormAction(action, { resetOnSuccess: true });
  return (
    <>
      {state.created && (
        <div className="notice" data-testid="new-api-key">
          <p>
            <strong>{state.created.name}</strong> ({state.created.readOnly ? "read-only" : "read-write"}) is ready. Copy it now:
            it will not be shown again.
          </p>
          <div className="row">
            <code className="url">{state.created.key}</code>
            <CopyButton text={state.created.key} label="Copy key" />
          </div>
        </div>
      )}
      <form {...formProps}>
        <h3>Create a key</h3>
        <Field
          id="api-key-name"
          label="Key name"
          name="name"
          required
          maxLength={100}
          placeholder="Backend"
          error={state.fieldErrors?.name}
        />
        <fieldset className="choices">
          <legend>Scope</legend>
          <div className="row">
            <input type="radio" id="api-key-read-only" name="scope" value="read-only" defaultChecked />
            <label htmlFor="api-key-read-only">Read-only: reads everything, changes nothing</label>
          </div>
          <div className="row">
            <input type="radio" id="api-key-read-write" name="scope" value="read-write" />
            <label htmlFor="api-key-read-write">Read-write: also fires trigger events and erases contacts</label>
          </div>
        </fieldset>
        <FormMessage error={state.fieldErrors?.name ? undefined : (state.fieldErrors?.scope ?? state.error)} />
        <SubmitButton pending={pending} pendingLabel="Creating…">
          Create key
        </SubmitButton>
      </form>
    </>
  );
}

export type ApiKeyRowProps = {
  apiKey: {
    id: string;
    name: string;
    prefix: string;
    readOnly: boolean;
    created: string;
    lastUsed: string;
    revoked: string | null;
  };
  /** For owners and admins: the action that revokes it. */
  revoke?: FormAction;
};

export function ApiKeyRow({ apiKey, revoke }: ApiKeyRowProps) {
  return (
    <tr data-testid="api-key-row">
      <td>{apiKey.name}</td>
      <td>
        <code>{apiKey.prefix}…</code>
      </td>
      <td>{apiKey.readOnly ? "Read-only" : "Read-write"}</td>
      <td>{apiKey.created}</td>
      <td>{apiKey.lastUsed}</td>
      <td>
        {apiKey.revoked ? (
          <span className="badge revoked">Revoked {apiKey.revoked}</span>
        ) : revoke ? (
          <RevokeForm apiKey={apiKey} action={revoke} />
        ) : (
          <span className="badge active">Active</span>
        )}
      </td>
    </tr>
  );
}

function RevokeForm({ apiKey, action }: { apiKey: ApiKeyRowProps["apiKey"]; action: FormAction }) {
  const { state, pending, formProps } = useFormAction(action);
  return (
    <form {...formProps}>
      <input type="hidden" name="apiKeyId" value={apiKey.id} />
      <button type="submit" className="secondary" disabled={pending} aria-label={`Revoke ${apiKey.name}`}>
        {pending ? "Revoking…" : "Revoke"}
      </button>
      <FormMessage error={state.error} />
    </form>
  );
}
