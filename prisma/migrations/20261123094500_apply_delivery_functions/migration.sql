-- No schema change: the worker's apply step as two database functions (see @hookloop/core apply-delivery.ts).

-- hookloop:manual (SQL Prisma cannot express; the drift test replays it)

-- Opens the worker's work on one delivery: names the workspace for the transaction, locks the
-- delivery row, and returns its status and, while it is still queued, its payload and the
-- endpoint's settings. Row-level security applies (SECURITY INVOKER).
CREATE FUNCTION hookloop_claim_delivery(p_workspace_id text, p_delivery_id uuid)
RETURNS TABLE (status delivery_status, payload jsonb, sync_names boolean, on_customer_deleted deletion_behaviour, events jsonb)
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
             SELECT coalesce(jsonb_agg(jsonb_build_object('eventType', ev.event_type, 'enabled', ev.enabled, 'triggerName', ev.trigger_name)), '[]'::jsonb)
             FROM endpoint_event ev WHERE ev.endpoint_id = e.id) END
    FROM delivery d JOIN endpoint e ON e.id = d.endpoint_id
    WHERE d.id = p_delivery_id AND d.workspace_id = p_workspace_id
    FOR UPDATE OF d;
END $$;

-- Applies a contact plan (@hookloop/domain planContactChange, as JSON) for a delivery claimed in
-- this transaction: advisory locks per Stripe customer and per email, the customer's ordering
-- watermark and deletion tombstone, suppression of erased emails, the contact write, the trigger
-- events (once per workspace, Stripe event and name) and the delivery's outcome. Returns
-- {status, reason, contactId}; status 'unresolvable' means nothing was written and the caller
-- rolls back and retries later.
CREATE FUNCTION hookloop_apply_plan(p_delivery_id uuid, p_plan jsonb, p_event_id text, p_created timestamptz)
RETURNS jsonb LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_ws text := hookloop_workspace();
  v_kind text := p_plan->>'kind';
  v_customer_id text := p_plan->>'customerId';
  v_has_customer boolean := coalesce(p_plan->>'customerId', '') <> '';
  v_plan_email text := p_plan->>'email';
  v_has_plan_email boolean := coalesce(p_plan->>'email', '') <> '';
  v_authoritative boolean := coalesce((p_plan->>'authoritative')::boolean, false);
  v_has_name boolean := jsonb_typeof(p_plan->'name') = 'object';
  v_first text := p_plan->'name'->>'firstName';
  v_last text := p_plan->'name'->>'lastName';
  -- the stripe_customer row (cu_*), the contact it links to (li_*), the contact written (co_*)
  cu_found boolean := false;
  cu_contact_id uuid;
  cu_email text;
  cu_last_created timestamptz;
  cu_last_id text;
  cu_deleted_at timestamptz;
  li_found boolean := false;
  li_id uuid;
  li_email text;
  li_first text;
  li_last text;
  li_scid text;
  co_id uuid;
  co_email text;
  co_first text;
  co_last text;
  co_scid text;
  v_newer boolean := false;
  v_email text;
  v_reason text;
  v_contact_id uuid;
  v_set_first boolean := false;
  v_set_last boolean := false;
  v_set_customer boolean := false;
  v_others integer;
  v_status delivery_status := 'processed';
BEGIN
  IF v_ws IS NULL THEN
    RAISE EXCEPTION 'hookloop_apply_plan: no workspace set for this transaction';
  END IF;

  IF v_kind = 'unusable' THEN
    v_status := 'failed';
    v_reason := p_plan->>'reason';

  ELSIF v_kind = 'delete' THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('customer:' || v_ws || ':' || v_customer_id, 0));
    SELECT contact_id, email, last_event_created, last_event_id, deleted_at
      INTO cu_contact_id, cu_email, cu_last_created, cu_last_id, cu_deleted_at
      FROM stripe_customer WHERE workspace_id = v_ws AND customer_id = v_customer_id;
    cu_found := FOUND;
    IF cu_found AND cu_deleted_at IS NOT NULL THEN
      v_reason := format('Customer %s was already deleted.', v_customer_id);
    ELSE
      v_contact_id := cu_contact_id;
      IF v_contact_id IS NULL AND v_has_plan_email THEN
        PERFORM pg_advisory_xact_lock(hashtextextended('email:' || v_ws || ':' || v_plan_email, 0));
        SELECT id INTO v_contact_id FROM contact WHERE workspace_id = v_ws AND email = v_plan_email;
      END IF;
      INSERT INTO stripe_customer (workspace_id, customer_id, contact_id, email, last_event_created, last_event_id, deleted_at)
      VALUES (v_ws, v_customer_id, v_contact_id, coalesce(cu_email, v_plan_email), p_created, p_event_id, now())
      ON CONFLICT (workspace_id, customer_id) DO UPDATE SET
        contact_id = EXCLUDED.contact_id,
        email = EXCLUDED.email,
        last_event_created = COALESCE(EXCLUDED.last_event_created, stripe_customer.last_event_created),
        last_event_id = COALESCE(EXCLUDED.last_event_id, stripe_customer.last_event_id),
        deleted_at = COALESCE(stripe_customer.deleted_at, EXCLUDED.deleted_at);
      IF v_contact_id IS NULL AND p_plan->>'behaviour' = 'unsubscribe' AND v_has_plan_email
         AND NOT EXISTS (SELECT 1 FROM contact_suppression
                         WHERE workspace_id = v_ws AND email_hash = encode(sha256(convert_to(v_ws || ':' || v_plan_email, 'UTF8')), 'hex')) THEN
        -- The deletion overtook the customer's first events: had they come first, the contact would
        -- exist and now be unsubscribed, so it is added that way (its older events fill it in).
        INSERT INTO contact (workspace_id, email, source, subscribed, stripe_customer_id)
        VALUES (v_ws, v_plan_email, 'Stripe', false, v_customer_id)
        RETURNING id INTO v_contact_id;
        UPDATE stripe_customer SET contact_id = v_contact_id WHERE workspace_id = v_ws AND customer_id = v_customer_id;
        v_reason := format('Customer %s was deleted before Hookloop saw it; added %s as unsubscribed.', v_customer_id, v_plan_email);
      ELSIF v_contact_id IS NULL THEN
        v_reason := format('Customer %s had no contact; nothing to remove.', v_customer_id);
      ELSE
        SELECT count(*) INTO v_others FROM stripe_customer
          WHERE workspace_id = v_ws AND contact_id = v_contact_id AND deleted_at IS NULL AND customer_id <> v_customer_id;
        IF v_others > 0 THEN
          v_reason := format('Customer %s is deleted, but another Stripe customer still has this contact''s email; kept it.', v_customer_id);
        ELSIF p_plan->>'behaviour' = 'delete' THEN
          DELETE FROM contact WHERE id = v_contact_id;
          IF NOT FOUND THEN RAISE EXCEPTION 'contact % to delete does not exist', v_contact_id; END IF;
          v_contact_id := NULL;
          v_reason := format('Deleted the contact of customer %s.', v_customer_id);
        ELSE
          UPDATE contact SET subscribed = false, updated_at = now() WHERE id = v_contact_id;
          IF NOT FOUND THEN RAISE EXCEPTION 'contact % to unsubscribe does not exist', v_contact_id; END IF;
          v_reason := format('Unsubscribed the contact of customer %s.', v_customer_id);
        END IF;
      END IF;
    END IF;

  ELSIF v_kind = 'upsert' THEN
    IF v_has_customer THEN
      PERFORM pg_advisory_xact_lock(hashtextextended('customer:' || v_ws || ':' || v_customer_id, 0));
      SELECT contact_id, email, last_event_created, last_event_id, deleted_at
        INTO cu_contact_id, cu_email, cu_last_created, cu_last_id, cu_deleted_at
        FROM stripe_customer WHERE workspace_id = v_ws AND customer_id = v_customer_id;
      cu_found := FOUND;
    END IF;

    IF cu_found AND cu_deleted_at IS NOT NULL THEN
      v_contact_id := cu_contact_id;
      -- An older event of a deleted customer still fires its triggers and fills in a missing name.
      IF v_contact_id IS NOT NULL AND v_has_name THEN
        UPDATE contact SET first_name = v_first, last_name = v_last, updated_at = now()
          WHERE id = v_contact_id AND coalesce(first_name, '') = '' AND coalesce(last_name, '') = '';
      END IF;
      v_reason := format('Stripe deleted customer %s; later events leave the contact as it is.', v_customer_id);
    ELSE
      -- Newer than the customer's watermark: a later `created` wins; within the same second, the larger event id.
      IF v_authoritative THEN
        v_newer := cu_last_created IS NULL OR cu_last_id IS NULL
          OR p_created > cu_last_created
          OR (p_created = cu_last_created AND p_event_id COLLATE "C" > cu_last_id COLLATE "C");
      END IF;
      IF cu_contact_id IS NOT NULL THEN
        SELECT id, email, first_name, last_name, stripe_customer_id INTO li_id, li_email, li_first, li_last, li_scid
          FROM contact WHERE id = cu_contact_id;
        li_found := FOUND;
      END IF;
      v_email := coalesce(v_plan_email, li_email, cu_email);
      IF coalesce(v_email, '') = '' THEN
        RETURN jsonb_build_object('status', 'unresolvable', 'reason',
          CASE WHEN v_has_customer
            THEN format('The event has no email, and Stripe customer %s is not known yet.', v_customer_id)
            ELSE 'The event has neither an email nor a Stripe customer.' END);
      END IF;

      IF EXISTS (SELECT 1 FROM contact_suppression
                 WHERE workspace_id = v_ws AND email_hash = encode(sha256(convert_to(v_ws || ':' || v_email, 'UTF8')), 'hex')) THEN
        v_reason := 'This email was erased at the contact''s request; Hookloop does not add it again.';
      ELSE
        IF li_found AND (NOT v_newer OR NOT v_has_plan_email OR v_plan_email = li_email) THEN
          co_id := li_id; co_email := li_email; co_first := li_first; co_last := li_last; co_scid := li_scid;
          v_reason := format('Updated %s.', li_email);
        ELSIF li_found AND v_has_plan_email THEN
          -- A newer customer event with another email: the contact follows the customer.
          PERFORM pg_advisory_xact_lock(hashtextextended('email:' || v_ws || ':' || v_plan_email, 0));
          SELECT id, email, first_name, last_name, stripe_customer_id INTO co_id, co_email, co_first, co_last, co_scid
            FROM contact WHERE workspace_id = v_ws AND email = v_plan_email;
          IF FOUND THEN
            v_reason := format('Customer %s moved from %s to %s, which was already a contact.', v_customer_id, li_email, v_plan_email);
          ELSIF EXISTS (SELECT 1 FROM stripe_customer
                        WHERE workspace_id = v_ws AND contact_id = li_id AND deleted_at IS NULL AND customer_id <> v_customer_id) THEN
            -- Another live Stripe customer still has the old email: it keeps that contact, and this
            -- customer gets a contact of its own at the new one.
            INSERT INTO contact (workspace_id, email, source, first_name, last_name, stripe_customer_id)
            VALUES (v_ws, v_plan_email, 'Stripe', v_first, v_last, v_customer_id)
            RETURNING id, email, first_name, last_name, stripe_customer_id INTO co_id, co_email, co_first, co_last, co_scid;
            v_reason := format('Customer %s moved from %s, which another Stripe customer still has, to %s: created that contact.',
                               v_customer_id, li_email, v_plan_email);
          ELSE
            UPDATE contact SET email = v_plan_email, updated_at = now() WHERE id = li_id
              RETURNING id, email, first_name, last_name, stripe_customer_id INTO co_id, co_email, co_first, co_last, co_scid;
            v_reason := format('Changed the contact''s email from %s to %s.', li_email, v_plan_email);
          END IF;
        ELSE
          PERFORM pg_advisory_xact_lock(hashtextextended('email:' || v_ws || ':' || v_email, 0));
          SELECT id, email, first_name, last_name, stripe_customer_id INTO co_id, co_email, co_first, co_last, co_scid
            FROM contact WHERE workspace_id = v_ws AND email = v_email;
          IF FOUND THEN
            v_reason := format('Matched contact %s by email.', v_email);
          ELSE
            INSERT INTO contact (workspace_id, email, source, first_name, last_name, stripe_customer_id)
            VALUES (v_ws, v_email, 'Stripe', v_first, v_last, v_customer_id)
            RETURNING id, email, first_name, last_name, stripe_customer_id INTO co_id, co_email, co_first, co_last, co_scid;
            v_reason := format('Created contact %s.', v_email);
          END IF;
        END IF;

        IF v_has_name THEN
          IF v_newer THEN
            v_set_first := v_first IS DISTINCT FROM co_first;
            v_set_last := v_last IS DISTINCT FROM co_last;
          ELSIF coalesce(co_first, '') = '' AND coalesce(co_last, '') = '' THEN
            v_set_first := true;
            v_set_last := true;
          END IF;
        END IF;
        v_set_customer := v_has_customer AND coalesce(co_scid, '') = '';
        IF v_set_first OR v_set_last OR v_set_customer THEN
          UPDATE contact SET
            first_name = CASE WHEN v_set_first THEN v_first ELSE first_name END,
            last_name = CASE WHEN v_set_last THEN v_last ELSE last_name END,
            stripe_customer_id = CASE WHEN v_set_customer THEN v_customer_id ELSE stripe_customer_id END,
            updated_at = now()
          WHERE id = co_id;
          IF NOT FOUND THEN RAISE EXCEPTION 'contact % to update does not exist', co_id; END IF;
        END IF;
        IF v_authoritative AND NOT v_newer THEN
          v_reason := format('An event newer than this one was already applied to customer %s; %s was left as it is.', v_customer_id, co_email);
        END IF;

        IF v_has_customer THEN
          INSERT INTO stripe_customer (workspace_id, customer_id, contact_id, email, last_event_created, last_event_id, deleted_at)
          VALUES (v_ws, v_customer_id, co_id, CASE WHEN v_newer THEN co_email ELSE coalesce(cu_email, co_email) END,
                  CASE WHEN v_newer THEN p_created END, CASE WHEN v_newer THEN p_event_id END, NULL)
          ON CONFLICT (workspace_id, customer_id) DO UPDATE SET
            contact_id = EXCLUDED.contact_id,
            email = EXCLUDED.email,
            last_event_created = COALESCE(EXCLUDED.last_event_created, stripe_customer.last_event_created),
            last_event_id = COALESCE(EXCLUDED.last_event_id, stripe_customer.last_event_id),
            deleted_at = COALESCE(stripe_customer.deleted_at, EXCLUDED.deleted_at);
        END IF;
        v_contact_id := co_id;
      END IF;
    END IF;

  ELSE
    RAISE EXCEPTION 'hookloop_apply_plan: unknown plan kind %', v_kind;
  END IF;

  IF v_contact_id IS NOT NULL AND jsonb_array_length(coalesce(p_plan->'triggers', '[]'::jsonb)) > 0 THEN
    INSERT INTO trigger_event (workspace_id, contact_id, name, properties, stripe_event_id, delivery_id, occurred_at)
    SELECT v_ws, v_contact_id, x.t->>'name', x.t->'properties', p_event_id, p_delivery_id, p_created
    FROM jsonb_array_elements(p_plan->'triggers') WITH ORDINALITY AS x(t, n)
    ORDER BY x.n
    ON CONFLICT (workspace_id, stripe_event_id, name) DO NOTHING;
  END IF;

  UPDATE delivery SET status = v_status, reason = v_reason, contact_id = v_contact_id, processed_at = now(), attempts = attempts + 1
  WHERE id = p_delivery_id;
  IF NOT FOUND THEN RAISE EXCEPTION 'delivery % does not exist', p_delivery_id; END IF;
  DELETE FROM delivery_outbox WHERE delivery_id = p_delivery_id;

  RETURN jsonb_build_object('status', v_status, 'reason', v_reason, 'contactId', v_contact_id);
END $$;
