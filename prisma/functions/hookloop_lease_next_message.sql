-- Keeps a destination's lane busy: a worker that has just recorded an attempt (and so ended its
-- lease) leases the destination's next message that is pending, due and leased by no one, oldest
-- due first, on the same terms as hookloop_lease_message (destination enabled and not paused,
-- fewer than p_max_leases of its messages in flight, a lease of p_lease_ms). With p_lease false it
-- leases nothing and only names that message, for a job of its own. Names the workspace for the
-- transaction first. Returns {state, …}:
--   leased   message and destination, as hookloop_lease_message returns them
--   due      messageId of the next message (p_lease false)
--   idle     nothing of the destination is due and free
--   held     the destination is paused, disabled or gone
--   busy     the destination already has p_max_leases messages in flight
-- Locks the destination row first, as hookloop_lease_message does, so leases of one destination
-- are counted one at a time; SKIP LOCKED passes over a message another statement holds.
-- Caller: @hookloop/core deliver-message.ts.
CREATE OR REPLACE FUNCTION hookloop_lease_next_message(p_workspace_id text, p_destination_id text, p_lease_ms integer,
                                                       p_max_leases integer, p_lease boolean)
RETURNS jsonb LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_msg message;
  v_dst destination;
  v_in_flight integer;
BEGIN
  PERFORM set_config('app.workspace_id', p_workspace_id, true);
  SELECT * INTO v_dst FROM destination WHERE id = p_destination_id AND workspace_id = p_workspace_id FOR NO KEY UPDATE;
  IF NOT FOUND OR NOT v_dst.enabled OR v_dst.paused_at IS NOT NULL THEN RETURN jsonb_build_object('state', 'held'); END IF;
  SELECT count(*) INTO v_in_flight FROM message
    WHERE destination_id = v_dst.id AND status = 'pending' AND leased_until > now();
  IF v_in_flight >= p_max_leases THEN RETURN jsonb_build_object('state', 'busy'); END IF;

  SELECT * INTO v_msg FROM message
    WHERE destination_id = v_dst.id AND status = 'pending' AND next_attempt_at <= now()
      AND (leased_until IS NULL OR leased_until <= now())
    ORDER BY next_attempt_at
    LIMIT 1
    FOR UPDATE SKIP LOCKED;
  IF NOT FOUND THEN RETURN jsonb_build_object('state', 'idle'); END IF;
  IF NOT p_lease THEN RETURN jsonb_build_object('state', 'due', 'messageId', v_msg.id); END IF;

  UPDATE message SET leased_until = now() + make_interval(secs => p_lease_ms / 1000.0) WHERE id = v_msg.id;
  RETURN jsonb_build_object(
    'state', 'leased',
    'message', jsonb_build_object('id', v_msg.id, 'messageId', v_msg.message_id, 'payload', v_msg.payload, 'attempts', v_msg.attempts),
    'destination', jsonb_build_object('id', v_dst.id, 'url', v_dst.url, 'secretCiphertext', v_dst.secret_ciphertext,
      'previousSecretCiphertext', v_dst.previous_secret_ciphertext, 'previousSecretExpiresAt', v_dst.previous_secret_expires_at));
END $$;
