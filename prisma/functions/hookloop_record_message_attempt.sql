-- Records one attempt at sending a message and what follows it, and ends the caller's lease; names
-- the workspace for the transaction first. p_attempt is
--   {attemptedAt, httpStatus, latencyMs, responseExcerpt, error}
-- and p_next what the domain decided (nextStepAfterAttempt): {kind: delivered | retry | give-up |
-- pause-destination, nextAttemptAt (retry), reason (pause-destination)}.
--   delivered          the message is delivered, the destination's last success is now and it is
--                      failing no more, the outbox row goes
--   retry              next_attempt_at moves on, and the outbox row is due then
--   give-up            the message failed after its last attempt; the outbox row goes
--   pause-destination  the destination pauses at once (410 Gone) and all its messages wait, this one
--                      due again on resume
-- A failed attempt (retry or give-up) starts the destination's failing_since when it is not set.
-- When the destination has been failing for p_auto_pause.afterMs by this attempt's time, with no
-- success since, the attempt becomes a pause-destination instead, its reason saying so
-- (p_auto_pause.after is the same span in words): the message waits for the resume with the rest.
-- Returns true when the message now waits for the destination's resume (paused by 410 or automatically).
-- Locks the destination row first, as hookloop_lease_message does.
-- Caller: @hookloop/core deliver-message.ts.
CREATE OR REPLACE FUNCTION hookloop_record_message_attempt(p_workspace_id text, p_message_id uuid, p_attempt jsonb, p_next jsonb,
                                                           p_auto_pause jsonb)
RETURNS boolean LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_ws text := set_config('app.workspace_id', p_workspace_id, true);
  v_destination_id text;
  v_kind text := p_next->>'kind';
  v_reason text := p_next->>'reason';
  v_attempted_at timestamptz := (p_attempt->>'attemptedAt')::timestamptz;
  v_failing_since timestamptz;
BEGIN
  SELECT destination_id INTO v_destination_id FROM message WHERE id = p_message_id;
  IF NOT FOUND THEN RETURN false; END IF;
  PERFORM 1 FROM destination WHERE id = v_destination_id FOR NO KEY UPDATE;

  IF v_kind IN ('retry', 'give-up') THEN
    UPDATE destination SET failing_since = coalesce(failing_since, v_attempted_at)
      WHERE id = v_destination_id
      RETURNING failing_since INTO v_failing_since;
    IF v_attempted_at - v_failing_since >= make_interval(secs => (p_auto_pause->>'afterMs')::bigint / 1000.0) THEN
      v_kind := 'pause-destination';
      v_reason := format('Paused automatically: no successful delivery since %s (%s). Resume it once the receiver '
                         'answers 2xx again: what waited is sent then.',
                         to_char(v_failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'), p_auto_pause->>'after');
    END IF;
  END IF;

  INSERT INTO message_attempt (workspace_id, message_id, attempted_at, http_status, latency_ms, response_excerpt, error)
  VALUES (v_ws, p_message_id, v_attempted_at, (p_attempt->>'httpStatus')::integer,
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
      UPDATE destination SET last_success_at = now(), failing_since = NULL WHERE id = v_destination_id;
      DELETE FROM message_outbox WHERE message_id = p_message_id;
    WHEN 'give-up' THEN
      DELETE FROM message_outbox WHERE message_id = p_message_id;
    WHEN 'retry' THEN
      UPDATE message_outbox SET due_at = (p_next->>'nextAttemptAt')::timestamptz WHERE message_id = p_message_id;
    WHEN 'pause-destination' THEN
      UPDATE destination SET paused_at = now(), paused_reason = v_reason, updated_at = now()
        WHERE id = v_destination_id AND paused_at IS NULL;
      UPDATE message_outbox SET due_at = NULL WHERE destination_id = v_destination_id;
    ELSE
      RAISE EXCEPTION 'hookloop_record_message_attempt: unknown next step %', v_kind;
  END CASE;
  RETURN v_kind = 'pause-destination';
END $$;
