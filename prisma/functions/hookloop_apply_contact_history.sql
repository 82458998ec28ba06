-- Writes what a replay of one part of the history changed (see @hookloop/core
-- contact/contact-history.ts), for the delivery claimed in this transaction, or, with p_delivery_id
-- null, for a change from the workspace's own app or an import: p_event is the new event
-- ({eventId, created, change}: its contact change, billing fact included), added to the history
-- here, or null when it has none; p_writes is
--   {remove: [contact id], contacts: [contact with its billing state and source, new or changed], placements: [{eventId, contactId}],
--    changeTriggers: [{eventId, contactId, name, properties, changeKey}], outcome: {status, reason, contactId}}
-- changeTriggers are the trigger events of the subscription changes the part shows, each inserted
-- once per change key; one fired before moves to the event (and contact) that shows it now.
-- Contacts go first, with the emails that change parked on a placeholder so that two contacts may
-- trade emails; then the event joins the history, each re-placed event moves its trigger events
-- to its contact (or drops them when it has none), and the delivery records its outcome and
-- leaves the outbox (when there is one).
-- Returns {fired, contacts}: the trigger events this call created (not those it moved), each with
-- its contact as the row stands (to_jsonb), and the contacts it created, changed or deleted, each
-- with the row after (before, for a deletion) and whether it was subscribed before. A trigger event
-- fires its destination messages once, when it first exists; the caller records them, and the
-- contact changes' messages, in this same transaction. The contacts are reported only when
-- p_writes.reportContacts is true (the workspace has a destination receiving contact changes).
CREATE OR REPLACE FUNCTION hookloop_apply_contact_history(p_delivery_id uuid, p_event jsonb, p_writes jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_ws text := hookloop_workspace();
  v_change jsonb := p_event->'change';
  v_id uuid;
  v_contact record;
  v_placement record;
  v_delivery_id uuid;
  v_event_delivery_id uuid;
  v_fired jsonb := '[]';
  v_new jsonb;
  v_before jsonb;
  v_removed jsonb := '[]';
  v_contacts jsonb := '[]';
  v_report boolean := coalesce((p_writes->>'reportContacts')::boolean, false);
BEGIN
  IF v_ws IS NULL THEN
    RAISE EXCEPTION 'hookloop_apply_contact_history: no workspace set for this transaction';
  END IF;

  IF v_report THEN
    SELECT coalesce(jsonb_object_agg(c.id, c.subscribed), '{}') INTO v_before
      FROM contact c WHERE c.id IN (SELECT (x->>'id')::uuid FROM jsonb_array_elements(p_writes->'contacts') AS x);
  END IF;
  FOR v_id IN SELECT jsonb_array_elements_text(p_writes->'remove')::uuid LOOP
    DELETE FROM contact WHERE id = v_id RETURNING to_jsonb(contact.*) INTO v_new;
    IF v_report AND v_new IS NOT NULL THEN
      v_removed := v_removed || jsonb_build_object('change', 'deleted', 'contact', v_new);
    END IF;
  END LOOP;
  FOR v_contact IN SELECT * FROM jsonb_to_recordset(p_writes->'contacts') AS x(id uuid, email text) LOOP
    UPDATE contact SET email = id || '@replaying.invalid' WHERE id = v_contact.id AND email <> v_contact.email;
  END LOOP;
  INSERT INTO contact AS c (id, workspace_id, email, first_name, last_name, subscribed, source, stripe_customer_id, billing,
                            first_event_id)
  SELECT x.id, v_ws, x.email, x."firstName", x."lastName", x.subscribed, x.source, x."stripeCustomerId", x.billing, x."firstEventId"
    FROM jsonb_to_recordset(p_writes->'contacts')
      AS x(id uuid, email text, "firstName" text, "lastName" text, subscribed boolean, source text, "stripeCustomerId" text,
           billing jsonb, "firstEventId" text)
  ON CONFLICT (id) DO UPDATE SET
    email = EXCLUDED.email, first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, subscribed = EXCLUDED.subscribed,
    stripe_customer_id = EXCLUDED.stripe_customer_id, billing = EXCLUDED.billing, first_event_id = EXCLUDED.first_event_id,
    updated_at = now();

  -- The same Stripe event through a second endpoint: one change, the triggers of both.
  IF p_event IS NOT NULL THEN
    INSERT INTO contact_event AS ce (workspace_id, stripe_event_id, stripe_created_at, customer_id, email, first_name, last_name,
                                     authoritative, deletion, billing, subscribed, triggers, delivery_id, contact_id)
    SELECT v_ws, p_event->>'eventId', (p_event->>'created')::timestamptz, v_change->>'customerId', v_change->>'email',
           v_change->'name'->>'firstName', v_change->'name'->>'lastName', coalesce((v_change->>'authoritative')::boolean, false),
           CASE WHEN v_change->>'kind' = 'delete' THEN (v_change->>'behaviour')::deletion_behaviour END,
           nullif(v_change->'billing', 'null'), (v_change->>'subscribed')::boolean, coalesce(v_change->'triggers', '[]'),
           p_delivery_id, p."contactId"
      FROM jsonb_to_recordset(p_writes->'placements') AS p("eventId" text, "contactId" uuid)
      WHERE p."eventId" = p_event->>'eventId'
    ON CONFLICT (workspace_id, stripe_event_id) DO UPDATE SET
      contact_id = EXCLUDED.contact_id,
      triggers = (SELECT coalesce(jsonb_agg(t), '[]') FROM (
        SELECT DISTINCT ON (t->>'name') t FROM jsonb_array_elements(ce.triggers || EXCLUDED.triggers) AS t) AS merged)
    RETURNING delivery_id INTO v_event_delivery_id;
    IF NOT FOUND THEN RAISE EXCEPTION 'hookloop_apply_contact_history: event % has no placement', p_event->>'eventId'; END IF;
  END IF;

  FOR v_placement IN SELECT * FROM jsonb_to_recordset(p_writes->'placements') AS p("eventId" text, "contactId" uuid) LOOP
    IF v_placement."eventId" IS DISTINCT FROM p_event->>'eventId' THEN
      UPDATE contact_event SET contact_id = v_placement."contactId"
        WHERE workspace_id = v_ws AND stripe_event_id = v_placement."eventId"
        RETURNING delivery_id INTO v_delivery_id;
    ELSE
      v_delivery_id := v_event_delivery_id;
    END IF;
    -- A delivery another worker holds (a replay of it) records its own contact when it is done.
    IF v_delivery_id IS DISTINCT FROM p_delivery_id THEN
      UPDATE delivery SET contact_id = v_placement."contactId"
        WHERE id = (SELECT id FROM delivery WHERE id = v_delivery_id FOR UPDATE SKIP LOCKED)
          AND contact_id IS DISTINCT FROM v_placement."contactId";
    END IF;
    IF v_placement."contactId" IS NULL THEN
      DELETE FROM trigger_event WHERE workspace_id = v_ws AND stripe_event_id = v_placement."eventId";
    ELSE
      UPDATE trigger_event SET contact_id = v_placement."contactId"
        WHERE workspace_id = v_ws AND stripe_event_id = v_placement."eventId" AND change_key IS NOT NULL
          AND contact_id IS DISTINCT FROM v_placement."contactId";
      -- xmax is 0 on a row this statement inserted, and not on one it updated (moved).
      WITH written AS (
        INSERT INTO trigger_event (workspace_id, contact_id, name, properties, stripe_event_id, delivery_id, occurred_at)
        SELECT v_ws, ce.contact_id, t.trigger->>'name', t.trigger->'properties', ce.stripe_event_id, ce.delivery_id, ce.stripe_created_at
          FROM contact_event ce CROSS JOIN LATERAL jsonb_array_elements(ce.triggers) WITH ORDINALITY AS t(trigger, n)
          WHERE ce.workspace_id = v_ws AND ce.stripe_event_id = v_placement."eventId"
          ORDER BY t.n
        ON CONFLICT (workspace_id, stripe_event_id, name) DO UPDATE SET contact_id = EXCLUDED.contact_id
          WHERE trigger_event.contact_id IS DISTINCT FROM EXCLUDED.contact_id
        RETURNING trigger_event.*, (xmax = 0) AS inserted)
      SELECT jsonb_agg(jsonb_build_object('name', w.name, 'properties', w.properties, 'stripeEventId', w.stripe_event_id,
                                          'stripeEventType', dl.type, 'occurredAt', w.occurred_at, 'contact', to_jsonb(c)))
        INTO v_new
        FROM written w JOIN contact c ON c.id = w.contact_id LEFT JOIN delivery dl ON dl.id = w.delivery_id
        WHERE w.inserted;
      v_fired := v_fired || coalesce(v_new, '[]');
    END IF;
  END LOOP;

  -- A change fired before follows the event that now first shows it (parked on a placeholder
  -- first, so that two changes may trade events); a new one is inserted.
  UPDATE trigger_event t SET stripe_event_id = t.change_key || '#moving'
    FROM jsonb_to_recordset(coalesce(p_writes->'changeTriggers', '[]')) AS x("eventId" text, "changeKey" text)
    WHERE t.workspace_id = v_ws AND t.change_key = x."changeKey" AND t.stripe_event_id <> x."eventId"
      -- One trigger event per event and name: a change whose event has one of its name already stays.
      AND NOT EXISTS (SELECT 1 FROM trigger_event o WHERE o.workspace_id = v_ws AND o.stripe_event_id = x."eventId" AND o.name = t.name);
  UPDATE trigger_event t SET stripe_event_id = x."eventId", contact_id = x."contactId", delivery_id = ce.delivery_id,
                             occurred_at = ce.stripe_created_at, properties = x.properties
    FROM jsonb_to_recordset(coalesce(p_writes->'changeTriggers', '[]'))
      AS x("eventId" text, "contactId" uuid, properties jsonb, "changeKey" text)
    JOIN contact_event ce ON ce.workspace_id = v_ws AND ce.stripe_event_id = x."eventId"
    WHERE t.workspace_id = v_ws AND t.change_key = x."changeKey" AND t.stripe_event_id = x."changeKey" || '#moving';
  WITH written AS (
    INSERT INTO trigger_event (workspace_id, contact_id, name, properties, stripe_event_id, delivery_id, occurred_at, change_key)
    SELECT v_ws, x."contactId", x.name, x.properties, x."eventId", ce.delivery_id, ce.stripe_created_at, x."changeKey"
      FROM jsonb_to_recordset(coalesce(p_writes->'changeTriggers', '[]'))
        AS x("eventId" text, "contactId" uuid, name text, properties jsonb, "changeKey" text)
      JOIN contact_event ce ON ce.workspace_id = v_ws AND ce.stripe_event_id = x."eventId"
    ON CONFLICT DO NOTHING
    RETURNING trigger_event.*)
  SELECT jsonb_agg(jsonb_build_object('name', w.name, 'properties', w.properties, 'stripeEventId', w.stripe_event_id,
                                      'stripeEventType', dl.type, 'occurredAt', w.occurred_at, 'contact', to_jsonb(c)))
    INTO v_new
    FROM written w JOIN contact c ON c.id = w.contact_id LEFT JOIN delivery dl ON dl.id = w.delivery_id;
  v_fired := v_fired || coalesce(v_new, '[]');

  IF p_delivery_id IS NOT NULL THEN
    UPDATE delivery SET status = (p_writes->'outcome'->>'status')::delivery_status, reason = p_writes->'outcome'->>'reason',
                        contact_id = (p_writes->'outcome'->>'contactId')::uuid, processed_at = now(), attempts = attempts + 1
      WHERE id = p_delivery_id;
    IF NOT FOUND THEN RAISE EXCEPTION 'delivery % does not exist', p_delivery_id; END IF;
    DELETE FROM delivery_outbox WHERE delivery_id = p_delivery_id;
  END IF;
  IF v_report THEN
    SELECT coalesce(jsonb_agg(jsonb_build_object(
             'change', CASE WHEN NOT v_before ? c.id::text THEN 'created'
                            WHEN (v_before->>c.id::text)::boolean AND NOT c.subscribed THEN 'unsubscribed'
                            ELSE 'updated' END,
             'contact', to_jsonb(c))), '[]')
      INTO v_contacts
      FROM contact c WHERE c.id IN (SELECT (x->>'id')::uuid FROM jsonb_array_elements(p_writes->'contacts') AS x);
  END IF;
  RETURN jsonb_build_object('fired', v_fired, 'contacts', v_removed || v_contacts);
END $$;
