-- Records one attempt at sending a message and what follows it, and ends the caller's lease; names
-- the workspace for the transaction first. p_attempt is
--   {attemptedAt, httpStatus, latencyMs, responseExcerpt, error}
-- and p_next what the domain decided (nextStepAfterAttempt): {kind: delivered | retry | give-up |
-- pause-destination, nextAttemptAt (retry), reason (pause-destination)}.
--   delivered          the message is delivered, the destination's last success is now, the outbox row goes
--   retry              next_attempt_at moves on, and the outbox row is due then
--   give-up            the message failed after its last attempt; the outbox row goes
--   pause-destination  the destination pauses at once (410 Gone) and all its messages wait, this one
--                      due again on resume
-- Locks the destination row first, as hookloop_lease_message does.
-- Caller: @hookloop/core deliver-message.ts.
CREATE OR REPLACE FUNCTION hookloop_record_message_attempt(p_workspace_id text, p_message_id uuid, p_attempt jsonb, p_next jsonb)
RETURNS void LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_ws text := set_config('app.workspace_id', p_workspace_id, true);
  v_destination_id text;
  v_kind text := p_next->>'kind';
BEGIN
  SELECT destination_id INTO v_destination_id FROM message WHERE id = p_message_id;
  IF NOT FOUND THEN RETURN; END IF;
  PERFORM 1 FROM destination WHERE id = v_destination_id FOR NO KEY UPDATE;

  INSERT INTO message_attempt (workspace_id, message_id, attempted_at, http_status, latency_ms, response_excerpt, error)
  VALUES (v_ws, p_message_id, (p_attempt->>'attemptedAt')::timestamptz, (p_attempt->>'httpStatus')::integer,
          (p_attempt->>'latencyMs')::integer, p_attempt->>'responseExcerpt', p_attempt->>'error');

  UPDATE message SET
    attempts = attempts + 1,
    leased_until = NULL,
    status = CASE v_kind WHEN 'delivered' THEN 'delivered'::message_status WHEN 'give-up' THEN 'failed'::message_status
                         ELSE 'pending'::message_status END,
    delivered_at = CASE WHEN v_kind = 'delivered' THEN now() END,
    next_attempt_at = CASE WHEN v_kind = 'retry' THEN (p_next->>'nextAttemptAt')::timestamptz
                           WHEN v_kind = 'pause-destination' THEN now() ELSE next_attempt_at END
    WHERE id = p_message_id;

  CASE v_kind
    WHEN 'delivered' THEN
      UPDATE destination SET last_success_at = now() WHERE id = v_destination_id;
      DELETE FROM message_outbox WHERE message_id = p_message_id;
    WHEN 'give-up' THEN
      DELETE FROM message_outbox WHERE message_id = p_message_id;
    WHEN 'retry' THEN
      UPDATE message_outbox SET due_at = (p_next->>'nextAttemptAt')::timestamptz WHERE message_id = p_message_id;
    WHEN 'pause-destination' THEN
      UPDATE destination SET paused_at = now(), paused_reason = p_next->>'reason', updated_at = now()
        WHERE id = v_destination_id AND paused_at IS NULL;
      UPDATE message_outbox SET due_at = NULL WHERE destination_id = v_destination_id;
    ELSE
      RAISE EXCEPTION 'hookloop_record_message_attempt: unknown next step %', v_kind;
  END CASE;
END $$;
