-- Locks and returns the part of the contact history that a contact change (@hookloop/domain
-- planContactChange: its customer and email) belongs to, in the workspace named for this
-- transaction, with the part's contacts, for the caller to replay:
--   {events: [...], contacts: [...]}, or {erased: true} when the email was erased on request, or
--   {retry: true}, see below.
-- The caller hands over what TypeScript derives, so no rule is written twice: p_email_hash is the
-- email's erasedEmailHash (@hookloop/domain), as contact_suppression stores it, and
-- p_contacts_lock the workspace's contacts lock (@hookloop/core contacts-lock.ts), the one
-- eraseContact takes alone.
-- Locking: every caller holds the workspace's contacts lock shared and the advisory lock of each
-- customer and email of its part, taken in one sorted pass before anything else, so two
-- deliveries whose parts touch run one after the other and others at once. A part that grew while
-- its locks were taken (another delivery linked it to more) cannot be locked in order any more:
-- the caller rolls back and runs again with p_exclusive, holding the workspace's contacts lock alone.
-- Caller: @hookloop/core contact/contact-history.ts.
CREATE OR REPLACE FUNCTION hookloop_lock_contact_history(
  p_customer_id text, p_email text, p_email_hash text, p_contacts_lock bigint, p_exclusive boolean
)
RETURNS jsonb LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_ws text := hookloop_workspace();
  v_customers text[];
  v_emails text[];
  v_locked_customers text[];
  v_locked_emails text[];
  v_events contact_event[];
  v_key text;
  v_id uuid;
  v_contact_ids uuid[];
  v_contacts contact[] := '{}';
  v_contact contact;
BEGIN
  IF v_ws IS NULL THEN
    RAISE EXCEPTION 'hookloop_lock_contact_history: no workspace set for this transaction';
  END IF;
  IF p_exclusive THEN
    PERFORM pg_advisory_xact_lock(p_contacts_lock);
  ELSE
    PERFORM pg_advisory_xact_lock_shared(p_contacts_lock);
  END IF;

  IF p_email_hash IS NOT NULL AND EXISTS (
    SELECT 1 FROM contact_suppression WHERE workspace_id = v_ws AND email_hash = p_email_hash) THEN
    RETURN jsonb_build_object('erased', true);
  END IF;

  SELECT c.p_customers, c.p_emails, c.p_events INTO v_customers, v_emails, v_events
    FROM hookloop_contact_cluster(v_ws, array_remove(ARRAY[p_customer_id], NULL), array_remove(ARRAY[p_email], NULL)) c;
  IF NOT p_exclusive THEN
    FOR v_key IN
      SELECT k FROM (SELECT 'customer:' || unnest(v_customers) UNION ALL SELECT 'email:' || unnest(v_emails)) AS keys(k) ORDER BY k
    LOOP
      PERFORM pg_advisory_xact_lock(hashtextextended(v_ws || ':' || v_key, 0));
    END LOOP;
    v_locked_customers := v_customers;
    v_locked_emails := v_emails;
    SELECT c.p_customers, c.p_emails, c.p_events INTO v_customers, v_emails, v_events
      FROM hookloop_contact_cluster(v_ws, v_customers, v_emails) c;
    IF cardinality(v_customers) <> cardinality(v_locked_customers) OR cardinality(v_emails) <> cardinality(v_locked_emails) THEN
      RETURN jsonb_build_object('retry', true);
    END IF;
  END IF;

  -- The part's contacts: every contact belongs to the part, and the event that created it belongs
  -- to the contact, so the events name them all.
  SELECT coalesce(array_agg(DISTINCT e.contact_id) FILTER (WHERE e.contact_id IS NOT NULL), '{}') INTO v_contact_ids FROM unnest(v_events) e;
  FOREACH v_id IN ARRAY v_contact_ids LOOP
    SELECT * INTO v_contact FROM contact WHERE id = v_id;
    IF FOUND THEN v_contacts := v_contacts || v_contact; END IF;
  END LOOP;

  RETURN jsonb_build_object(
    'events', (
      SELECT coalesce(jsonb_agg(jsonb_build_object(
        'eventId', e.stripe_event_id, 'created', e.stripe_created_at, 'customerId', e.customer_id, 'email', e.email,
        'firstName', e.first_name, 'lastName', e.last_name, 'authoritative', e.authoritative, 'deletion', e.deletion,
        'billing', e.billing, 'subscribed', e.subscribed, 'contactId', e.contact_id)), '[]')
      FROM (SELECT DISTINCT ON (stripe_event_id) * FROM unnest(v_events)) AS e),
    'contacts', (
      SELECT coalesce(jsonb_agg(jsonb_build_object(
        'id', c.id, 'email', c.email, 'firstEventId', c.first_event_id, 'firstName', c.first_name, 'lastName', c.last_name,
        'subscribed', c.subscribed, 'stripeCustomerId', c.stripe_customer_id, 'billing', c.billing)), '[]')
      FROM unnest(v_contacts) AS c));
END $$;
