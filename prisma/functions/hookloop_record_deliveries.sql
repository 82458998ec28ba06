-- Records verified deliveries, many at once, set-based: per endpoint named in the batch, it reads
-- that one endpoint (app.endpoint_id), works for its workspace (app.workspace_id), inserts the
-- deliveries once per (endpoint, Stripe event id) and puts the queued ones in the outbox.
-- Returns one row per delivery inserted; a delivery absent from the result was a duplicate.
-- Caller: @hookloop/core receive-delivery.ts.
CREATE OR REPLACE FUNCTION hookloop_record_deliveries(
  p_endpoint_ids text[], p_stripe_event_ids text[], p_types text[], p_livemodes boolean[], p_created bigint[],
  p_statuses delivery_status[], p_reasons text[], p_payloads text[]
) RETURNS TABLE (out_endpoint_id text, out_stripe_event_id text, out_delivery_id uuid) LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_endpoint_id text;
  v_workspace_id text;
BEGIN
  FOR v_endpoint_id IN SELECT DISTINCT e FROM unnest(p_endpoint_ids) AS e LOOP
    PERFORM set_config('app.endpoint_id', v_endpoint_id, true);
    -- A deleted endpoint records nothing, however fresh ingest's cached copy of it: no_data_found,
    -- which ingest answers 404 as for an unknown endpoint.
    SELECT ep.workspace_id INTO v_workspace_id FROM endpoint ep WHERE ep.id = v_endpoint_id AND ep.deleted_at IS NULL;
    IF v_workspace_id IS NULL THEN
      RAISE EXCEPTION 'no endpoint %', v_endpoint_id USING ERRCODE = 'no_data_found';
    END IF;
    PERFORM set_config('app.workspace_id', v_workspace_id, true);
    RETURN QUERY
      WITH inserted AS (
        INSERT INTO delivery AS d (workspace_id, endpoint_id, stripe_event_id, type, livemode, stripe_created_at, status, reason, payload)
        SELECT v_workspace_id, x.e, x.s, x.t, x.l, to_timestamp(x.c), x.st, x.r, x.p::jsonb
        FROM unnest(p_endpoint_ids, p_stripe_event_ids, p_types, p_livemodes, p_created, p_statuses, p_reasons, p_payloads)
          WITH ORDINALITY AS x(e, s, t, l, c, st, r, p, n)
        WHERE x.e = v_endpoint_id
        ORDER BY x.n
        ON CONFLICT (endpoint_id, stripe_event_id) DO NOTHING
        RETURNING d.id, d.endpoint_id, d.stripe_event_id, d.status, d.workspace_id
      ), outboxed AS (
        INSERT INTO delivery_outbox (delivery_id, workspace_id)
        SELECT i.id, i.workspace_id FROM inserted i WHERE i.status = 'queued'
      )
      SELECT i.endpoint_id, i.stripe_event_id, i.id FROM inserted i;
  END LOOP;
END $$;
