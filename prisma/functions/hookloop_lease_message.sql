-- Opens one attempt at sending a message: names the workspace for the transaction and, if the
-- message may be sent now, leases it to the caller for p_lease_ms, so the transaction can commit
-- before the HTTP request and no connection is held across it. Returns {state, …}:
--   leased   message (id, messageId, payload, attempts) and destination (id, url, secret ciphertexts)
--   gone     no such message (deleted with its destination)
--   done     it is no longer pending (status)
--   held     its destination is paused or disabled: its outbox row stops being due until a resume
--   leased-elsewhere, not-due   another worker holds it, or it is not due yet (until / at)
--   busy     its destination already has p_max_leases messages in flight (bounded concurrency)
-- The destination row is locked first (FOR NO KEY UPDATE, which a message's foreign key check does
-- not wait for), here and in hookloop_record_message_attempt, so leases of one destination are
-- counted one at a time and the two never wait on each other in opposite orders.
-- Caller: @hookloop/core deliver-message.ts.
CREATE OR REPLACE FUNCTION hookloop_lease_message(p_workspace_id text, p_message_id uuid, p_lease_ms integer, p_max_leases integer)
RETURNS jsonb LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_destination_id text;
  v_msg message;
  v_dst destination;
  v_in_flight integer;
BEGIN
  PERFORM set_config('app.workspace_id', p_workspace_id, true);
  SELECT destination_id INTO v_destination_id FROM message WHERE id = p_message_id AND workspace_id = p_workspace_id;
  IF NOT FOUND THEN RETURN jsonb_build_object('state', 'gone'); END IF;
  SELECT * INTO v_dst FROM destination WHERE id = v_destination_id FOR NO KEY UPDATE;
  SELECT * INTO v_msg FROM message WHERE id = p_message_id FOR UPDATE;
  IF v_msg.status <> 'pending' THEN RETURN jsonb_build_object('state', 'done', 'status', v_msg.status); END IF;
  IF NOT v_dst.enabled OR v_dst.paused_at IS NOT NULL THEN
    UPDATE message_outbox SET due_at = NULL WHERE message_id = p_message_id;
    RETURN jsonb_build_object('state', 'held');
  END IF;
  IF v_msg.leased_until > now() THEN
    RETURN jsonb_build_object('state', 'leased-elsewhere', 'until', v_msg.leased_until);
  END IF;
  IF v_msg.next_attempt_at > now() THEN
    RETURN jsonb_build_object('state', 'not-due', 'at', v_msg.next_attempt_at);
  END IF;
  SELECT count(*) INTO v_in_flight FROM message
    WHERE destination_id = v_dst.id AND status = 'pending' AND leased_until > now();
  IF v_in_flight >= p_max_leases THEN RETURN jsonb_build_object('state', 'busy'); END IF;

  UPDATE message SET leased_until = now() + make_interval(secs => p_lease_ms / 1000.0) WHERE id = p_message_id;
  RETURN jsonb_build_object(
    'state', 'leased',
    'message', jsonb_build_object('id', v_msg.id, 'messageId', v_msg.message_id, 'payload', v_msg.payload, 'attempts', v_msg.attempts),
    'destination', jsonb_build_object('id', v_dst.id, 'url', v_dst.url, 'secretCiphertext', v_dst.secret_ciphertext,
      'previousSecretCiphertext', v_dst.previous_secret_ciphertext, 'previousSecretExpiresAt', v_dst.previous_secret_expires_at));
END $$;
