-- Records destination messages in the transaction that made what they tell (the transactional
-- outbox), in the workspace named for the transaction: p_messages is
--   [{destinationId, messageId, type, payload}]
-- A message already recorded for its destination (the same msg_ id) is left as it is, so nothing is
-- recorded, or sent, twice. Each new message also gets its message_outbox row, due now. Returns the
-- ids of the messages it recorded, for the caller to queue once the transaction commits.
-- Caller: @hookloop/core apply-delivery.ts (messagesForFiredTriggers).
CREATE OR REPLACE FUNCTION hookloop_record_messages(p_messages jsonb)
RETURNS uuid[] LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_ws text := hookloop_workspace();
  v_ids uuid[];
BEGIN
  IF v_ws IS NULL THEN
    RAISE EXCEPTION 'hookloop_record_messages: no workspace set for this transaction';
  END IF;
  WITH recorded AS (
    INSERT INTO message (workspace_id, destination_id, message_id, type, payload)
    SELECT v_ws, x."destinationId", x."messageId", x.type, x.payload
      FROM jsonb_to_recordset(p_messages) AS x("destinationId" text, "messageId" text, type text, payload jsonb)
    ON CONFLICT (destination_id, message_id) DO NOTHING
    RETURNING id, destination_id),
  queued AS (
    INSERT INTO message_outbox (message_id, workspace_id, destination_id, due_at)
    SELECT id, v_ws, destination_id, now() FROM recorded
    RETURNING message_id)
  SELECT coalesce(array_agg(message_id), '{}') INTO v_ids FROM queued;
  RETURN v_ids;
END $$;
