-- The enabled endpoint a webhook URL names (a deleted one is unknown), with its secrets (still encrypted) and event settings,
-- read before the tenant is known: row-level security lets it see that one endpoint
-- (app.endpoint_id) and nothing else. Caller: @hookloop/core endpoint-cache.ts.
CREATE OR REPLACE FUNCTION hookloop_ingest_endpoint(p_endpoint_id text) RETURNS jsonb LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  PERFORM set_config('app.endpoint_id', p_endpoint_id, true);
  RETURN (
    SELECT jsonb_build_object(
      'id', e.id,
      'workspaceId', e.workspace_id,
      'secretCiphertext', e.secret_ciphertext,
      'previousSecretCiphertext', e.previous_secret_ciphertext,
      'previousSecretExpiresAt', e.previous_secret_expires_at,
      'syncNames', e.sync_names,
      'onCustomerDeleted', e.on_customer_deleted,
      'events', (
        SELECT coalesce(jsonb_agg(jsonb_build_object('eventType', ev.event_type, 'enabled', ev.enabled, 'triggerName', ev.trigger_name)), '[]'::jsonb)
        FROM endpoint_event ev WHERE ev.endpoint_id = e.id))
    FROM endpoint e WHERE e.id = p_endpoint_id AND e.enabled AND e.deleted_at IS NULL);
END $$;
