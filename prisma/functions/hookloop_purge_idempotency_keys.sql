-- Deletes the kept answers to Idempotency-Keys older than p_before in every workspace, one
-- workspace at a time, as hookloop_purge_audit_entries does (row-level security admits a
-- workspace's rows only while app.workspace_id names it). Returns how many went. The window (24
-- hours) is core's, handed in as p_before; an older answer is already ignored, and replaced when its
-- key comes again. Caller: @hookloop/core api-key/purge-idempotent-answers.ts, from the worker daily.
CREATE OR REPLACE FUNCTION hookloop_purge_idempotency_keys(p_before timestamptz) RETURNS bigint LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_workspace text;
  v_count bigint;
  v_total bigint := 0;
BEGIN
  FOR v_workspace IN SELECT id FROM workspace ORDER BY id LOOP
    PERFORM set_config('app.workspace_id', v_workspace, true);
    DELETE FROM idempotency_key WHERE workspace_id = v_workspace AND created_at < p_before;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_total := v_total + v_count;
  END LOOP;
  PERFORM set_config('app.workspace_id', '', true);
  RETURN v_total;
END $$;
