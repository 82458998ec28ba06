-- The API key a request's bearer token hashes to, read before the tenant is known: row-level
-- security lets it see that one key (app.api_key_hash) and nothing else, in one lookup on the
-- unique index. Revoked keys are returned too, so the caller can tell them apart from unknown ones
-- in its log (both are answered 401). Caller: @hookloop/core api-key/authenticate-api-key.ts.
CREATE OR REPLACE FUNCTION hookloop_api_key(p_key_hash text) RETURNS jsonb LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  PERFORM set_config('app.api_key_hash', p_key_hash, true);
  RETURN (
    SELECT jsonb_build_object(
      'id', k.id,
      'workspaceId', k.workspace_id,
      'readOnly', k.read_only,
      'lastUsedAt', k.last_used_at,
      'revokedAt', k.revoked_at)
    FROM api_key k WHERE k.key_hash = p_key_hash);
END $$;
