-- Opens the worker's work on one delivery: names the workspace for the transaction, locks the
-- delivery row, and returns its status and, while it is still queued, its payload and the
-- endpoint's settings. Row-level security applies (SECURITY INVOKER).
-- The claim changes no key of the delivery, so it takes the weaker row lock: a trigger event that
-- a replay moves while its delivery is being claimed again (a replay from the dashboard) checks
-- its foreign key (FOR KEY SHARE) without waiting for the claim.
-- `destinations` lists the workspace's enabled destinations and what each receives, null when it has
-- none, so a workspace without destinations pays nothing for messages.
-- Caller: @hookloop/core apply-delivery.ts.
CREATE OR REPLACE FUNCTION hookloop_claim_delivery(p_workspace_id text, p_delivery_id uuid)
RETURNS TABLE (status delivery_status, payload jsonb, sync_names boolean, on_customer_deleted deletion_behaviour, events jsonb,
                destinations jsonb)
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  PERFORM set_config('app.workspace_id', p_workspace_id, true);
  RETURN QUERY
    SELECT d.status,
           CASE WHEN d.status = 'queued' THEN d.payload END,
           e.sync_names,
           e.on_customer_deleted,
           CASE WHEN d.status = 'queued' THEN (
             SELECT coalesce(jsonb_agg(jsonb_build_object('eventType', ev.event_type, 'enabled', ev.enabled, 'triggerName', ev.trigger_name,
                                       'condition', ev.condition)), '[]'::jsonb)
             FROM endpoint_event ev WHERE ev.endpoint_id = e.id) END,
           CASE WHEN d.status = 'queued' THEN (
             SELECT jsonb_agg(jsonb_build_object('id', ds.id, 'allTriggers', ds.all_triggers,
                                                 'triggerNames', coalesce(ds.trigger_names, '{}'), 'contactChanges', ds.contact_changes))
             FROM destination ds WHERE ds.workspace_id = p_workspace_id AND ds.enabled) END
    FROM delivery d JOIN endpoint e ON e.id = d.endpoint_id
    WHERE d.id = p_delivery_id AND d.workspace_id = p_workspace_id
    FOR NO KEY UPDATE OF d;
END $$;
