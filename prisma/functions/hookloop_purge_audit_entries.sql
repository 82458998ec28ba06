-- Deletes the audit entries older than p_before in every workspace, one workspace at a time: row-level
-- security admits a workspace's entries only while app.workspace_id names it, so the purge names
-- each in turn (the setting is transaction-local and left empty at the end). Returns how many went.
-- The retention (400 days) is core's, handed in as p_before. Caller: @hookloop/core
-- audit/purge-audit-entries.ts, from the worker once a day.
CREATE OR REPLACE FUNCTION hookloop_purge_audit_entries(p_before timestamptz) RETURNS bigint LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_workspace text;
  v_count bigint;
  v_total bigint := 0;
BEGIN
  FOR v_workspace IN SELECT id FROM workspace ORDER BY id LOOP
    PERFORM set_config('app.workspace_id', v_workspace, true);
    DELETE FROM audit_entry WHERE workspace_id = v_workspace AND created_at < p_before;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_total := v_total + v_count;
  END LOOP;
  PERFORM set_config('app.workspace_id', '', true);
  RETURN v_total;
END $$;
