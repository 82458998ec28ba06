-- Deletes, in every workspace, what is kept only for a while: audit entries older than
-- p_audit_before and the API's Idempotency-Key answers older than p_idempotency_before (already
-- ignored; an expired key is also replaced when it comes again). One workspace at a time:
-- row-level security admits a workspace's rows only while app.workspace_id names it, so the purge
-- names each in turn (the setting is transaction-local and left empty at the end). The retentions
-- (400 days, 24 hours) are core's, handed in. Returns {auditEntries, idempotentAnswers}: how many went.
-- Caller: @hookloop/core workspace/purge-expired.ts, from the worker once a day.
CREATE OR REPLACE FUNCTION hookloop_purge_expired(p_audit_before timestamptz, p_idempotency_before timestamptz)
RETURNS jsonb LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_workspace text;
  v_count bigint;
  v_audit bigint := 0;
  v_idempotency bigint := 0;
BEGIN
  FOR v_workspace IN SELECT id FROM workspace ORDER BY id LOOP
    PERFORM set_config('app.workspace_id', v_workspace, true);
    DELETE FROM audit_entry WHERE workspace_id = v_workspace AND created_at < p_audit_before;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_audit := v_audit + v_count;
    DELETE FROM idempotency_key WHERE workspace_id = v_workspace AND created_at < p_idempotency_before;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_idempotency := v_idempotency + v_count;
  END LOOP;
  PERFORM set_config('app.workspace_id', '', true);
  RETURN jsonb_build_object('auditEntries', v_audit, 'idempotentAnswers', v_idempotency);
END $$;
