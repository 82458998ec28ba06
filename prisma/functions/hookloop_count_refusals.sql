-- Adds up requests that failed verification, per (endpoint, cause, hour): ingest counts them in
-- memory and hands over what it has every few seconds, one row per key, so however many bad
-- requests arrive, each key costs one upsert per flush. Per endpoint named, it reads that one
-- endpoint (app.endpoint_id), works for its workspace (app.workspace_id), adds the counts and
-- drops that endpoint's rows older than p_keep_hours. A deleted endpoint is skipped. Returns the
-- number of rows added to or made. Caller: @hookloop/core refusal-counter.ts.
CREATE OR REPLACE FUNCTION hookloop_count_refusals(
  p_endpoint_ids text[], p_causes text[], p_hours timestamptz[], p_counts integer[], p_last_at timestamptz[], p_keep_hours integer
) RETURNS integer LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_endpoint_id text;
  v_workspace_id text;
  v_rows integer;
  v_total integer := 0;
BEGIN
  FOR v_endpoint_id IN SELECT DISTINCT e FROM unnest(p_endpoint_ids) AS e LOOP
    PERFORM set_config('app.endpoint_id', v_endpoint_id, true);
    v_workspace_id := NULL;
    SELECT ep.workspace_id INTO v_workspace_id FROM endpoint ep WHERE ep.id = v_endpoint_id AND ep.deleted_at IS NULL;
    CONTINUE WHEN v_workspace_id IS NULL;
    PERFORM set_config('app.workspace_id', v_workspace_id, true);
    INSERT INTO endpoint_refusal AS r (workspace_id, endpoint_id, cause, hour, count, last_at)
    SELECT v_workspace_id, x.e, x.c, x.h, sum(x.n)::integer, max(x.l)
    FROM unnest(p_endpoint_ids, p_causes, p_hours, p_counts, p_last_at) AS x(e, c, h, n, l)
    WHERE x.e = v_endpoint_id
    GROUP BY x.e, x.c, x.h
    ON CONFLICT (endpoint_id, cause, hour) DO UPDATE
      SET count = least(r.count::bigint + excluded.count, 2147483647)::integer, last_at = greatest(r.last_at, excluded.last_at);
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    v_total := v_total + v_rows;
    DELETE FROM endpoint_refusal r WHERE r.endpoint_id = v_endpoint_id AND r.hour < now() - make_interval(hours => p_keep_hours);
  END LOOP;
  RETURN v_total;
END $$;
