-- Contacts are replayed from a history of contact changes (contact_event), one row per Stripe
-- event, instead of being changed in place per event; stripe_customer, which held each customer's
-- ordering watermark, is derived from that history now and goes.

-- AlterTable
ALTER TABLE "contact" ADD COLUMN     "first_event_id" TEXT;

-- CreateTable
CREATE TABLE "contact_event" (
    "workspace_id" TEXT NOT NULL,
    "stripe_event_id" TEXT NOT NULL,
    "stripe_created_at" TIMESTAMPTZ(3) NOT NULL,
    "customer_id" TEXT,
    "email" TEXT,
    "first_name" TEXT,
    "last_name" TEXT,
    "authoritative" BOOLEAN NOT NULL,
    "deletion" "deletion_behaviour",
    "triggers" JSONB NOT NULL,
    "delivery_id" UUID,
    "contact_id" UUID,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_event_pkey" PRIMARY KEY ("workspace_id","stripe_event_id")
);

-- CreateIndex
CREATE INDEX "contact_event_workspace_id_customer_id_idx" ON "contact_event"("workspace_id", "customer_id");

-- CreateIndex
CREATE INDEX "contact_event_workspace_id_email_idx" ON "contact_event"("workspace_id", "email");

-- CreateIndex
CREATE INDEX "contact_event_delivery_id_idx" ON "contact_event"("delivery_id");

-- CreateIndex
CREATE UNIQUE INDEX "contact_workspace_id_first_event_id_key" ON "contact"("workspace_id", "first_event_id");

-- AddForeignKey
ALTER TABLE "contact_event" ADD CONSTRAINT "contact_event_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_event" ADD CONSTRAINT "contact_event_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "delivery"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Data: what the database already holds starts the history, placed before any real Stripe event
-- (1970), so replays build on it: each contact as it stands, then each customer's link to its
-- contact, then each deleted customer (its contact is already deleted or unsubscribed).
INSERT INTO "contact_event" ("workspace_id", "stripe_event_id", "stripe_created_at", "customer_id", "email", "first_name", "last_name", "authoritative", "triggers", "contact_id")
SELECT c."workspace_id", 'existing:' || c."id", 'epoch', NULL, c."email", c."first_name", c."last_name", false, '[]', c."id"
FROM "contact" c;
UPDATE "contact" SET "first_event_id" = 'existing:' || "id";
INSERT INTO "contact_event" ("workspace_id", "stripe_event_id", "stripe_created_at", "customer_id", "email", "authoritative", "triggers", "contact_id")
SELECT s."workspace_id", 'existing-customer:' || s."customer_id", timestamptz 'epoch' + interval '1 second', s."customer_id", c."email", false, '[]', c."id"
FROM "stripe_customer" s JOIN "contact" c ON c."id" = s."contact_id";
INSERT INTO "contact_event" ("workspace_id", "stripe_event_id", "stripe_created_at", "customer_id", "authoritative", "deletion", "triggers")
SELECT s."workspace_id", 'existing-deletion:' || s."customer_id", timestamptz 'epoch' + interval '2 seconds', s."customer_id", false, 'unsubscribe', '[]'
FROM "stripe_customer" s WHERE s."deleted_at" IS NOT NULL;

-- DropForeignKey
ALTER TABLE "stripe_customer" DROP CONSTRAINT "stripe_customer_workspace_id_fkey";

-- DropForeignKey
ALTER TABLE "stripe_customer" DROP CONSTRAINT "stripe_customer_contact_id_fkey";

-- DropTable
DROP TABLE "stripe_customer";

-- hookloop:manual (SQL Prisma cannot express; the drift test replays it)

ALTER TABLE "contact_event" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "contact_event" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "contact_event"
  USING (workspace_id = hookloop_workspace()) WITH CHECK (workspace_id = hookloop_workspace());

DROP FUNCTION hookloop_apply_plan(uuid, jsonb, text, timestamptz);

-- The claim changes no key of the delivery, so it takes the weaker row lock: a trigger event that
-- a replay moves while its delivery is being claimed again (a replay from the dashboard) checks
-- its foreign key (FOR KEY SHARE) without waiting for the claim.
CREATE OR REPLACE FUNCTION hookloop_claim_delivery(p_workspace_id text, p_delivery_id uuid)
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
    FOR NO KEY UPDATE OF d;
END $$;

-- Every statement below finds rows by equality on a whole index key (one customer, one email, one
-- id): with `= ANY (array)` or joins, the planner, misled by the statistics of a young table or a
-- large tenant, would read a whole workspace through the workspace_id prefix for each event.

-- The part of a workspace's contact history that the given customers and emails belong to: every
-- event linked to them through a Stripe customer or an email, and so on, walked key by key. Its
-- lookups are planned on each call: contact_event's three indexes share the workspace_id prefix,
-- and a plan cached while the table was nearly empty may pick the wrong one for good.
CREATE FUNCTION hookloop_contact_cluster(p_workspace_id text, INOUT p_customers text[], INOUT p_emails text[], OUT p_events contact_event[])
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
  v_customers text[] := p_customers;
  v_emails text[] := p_emails;
  v_key text;
  v_row contact_event;
BEGIN
  p_events := '{}';
  WHILE cardinality(v_customers) + cardinality(v_emails) > 0 LOOP
    IF cardinality(v_customers) > 0 THEN
      v_key := v_customers[1];
      v_customers := v_customers[2:];
      FOR v_row IN SELECT * FROM contact_event WHERE workspace_id = p_workspace_id AND customer_id = v_key LOOP
        p_events := p_events || v_row;
        IF v_row.email IS NOT NULL AND NOT v_row.email = ANY (p_emails) THEN
          p_emails := p_emails || v_row.email;
          v_emails := v_emails || v_row.email;
        END IF;
      END LOOP;
    ELSE
      v_key := v_emails[1];
      v_emails := v_emails[2:];
      FOR v_row IN SELECT * FROM contact_event WHERE workspace_id = p_workspace_id AND email = v_key LOOP
        p_events := p_events || v_row;
        IF v_row.customer_id IS NOT NULL AND NOT v_row.customer_id = ANY (p_customers) THEN
          p_customers := p_customers || v_row.customer_id;
          v_customers := v_customers || v_row.customer_id;
        END IF;
      END LOOP;
    END IF;
  END LOOP;
END $$;

-- Locks and returns the part of the contact history that a contact change (@hookloop/domain
-- planContactChange: its customer and email) belongs to, in the workspace named for this
-- transaction, with the part's contacts, for the caller to replay:
--   {events: [...], contacts: [...]}, or {erased: true} when the email was erased on request, or
--   {retry: true}, see below.
-- Locking: every caller holds the workspace's contacts lock shared and the advisory lock of each
-- customer and email of its part, taken in one sorted pass before anything else, so two
-- deliveries whose parts touch run one after the other and others at once. A part that grew while
-- its locks were taken (another delivery linked it to more) cannot be locked in order any more:
-- the caller rolls back and runs again with p_exclusive, holding the workspace's contacts lock alone.
CREATE FUNCTION hookloop_lock_contact_history(p_customer_id text, p_email text, p_exclusive boolean)
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
    PERFORM pg_advisory_xact_lock(hashtextextended('contacts:' || v_ws, 0));
  ELSE
    PERFORM pg_advisory_xact_lock_shared(hashtextextended('contacts:' || v_ws, 0));
  END IF;

  IF p_email IS NOT NULL AND EXISTS (
    SELECT 1 FROM contact_suppression
    WHERE workspace_id = v_ws AND email_hash = encode(sha256(convert_to(v_ws || ':' || p_email, 'UTF8')), 'hex')) THEN
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
        'contactId', e.contact_id)), '[]')
      FROM (SELECT DISTINCT ON (stripe_event_id) * FROM unnest(v_events)) AS e),
    'contacts', (
      SELECT coalesce(jsonb_agg(jsonb_build_object(
        'id', c.id, 'email', c.email, 'firstEventId', c.first_event_id, 'firstName', c.first_name, 'lastName', c.last_name,
        'subscribed', c.subscribed, 'stripeCustomerId', c.stripe_customer_id)), '[]')
      FROM unnest(v_contacts) AS c));
END $$;

-- Writes what a replay of one part of the history changed, for the delivery claimed in this
-- transaction (see @hookloop/core apply-delivery.ts): p_event is the delivery's own event
-- ({eventId, created, change}: its contact change from planContactChange), added to the history
-- here, or null when it has none; p_writes is
--   {remove: [contact id], contacts: [contact, new or changed], placements: [{eventId, contactId}], outcome: {status, reason, contactId}}
-- Contacts go first, with the emails that change parked on a placeholder so that two contacts may
-- trade emails; then the event joins the history, each re-placed event moves its trigger events
-- to its contact (or drops them when it has none), and the delivery records its outcome and
-- leaves the outbox.
CREATE FUNCTION hookloop_apply_contact_history(p_delivery_id uuid, p_event jsonb, p_writes jsonb)
RETURNS void LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_ws text := hookloop_workspace();
  v_change jsonb := p_event->'change';
  v_id uuid;
  v_contact record;
  v_placement record;
  v_delivery_id uuid;
  v_event_delivery_id uuid;
BEGIN
  IF v_ws IS NULL THEN
    RAISE EXCEPTION 'hookloop_apply_contact_history: no workspace set for this transaction';
  END IF;

  FOR v_id IN SELECT jsonb_array_elements_text(p_writes->'remove')::uuid LOOP
    DELETE FROM contact WHERE id = v_id;
  END LOOP;
  FOR v_contact IN SELECT * FROM jsonb_to_recordset(p_writes->'contacts') AS x(id uuid, email text) LOOP
    UPDATE contact SET email = id || '@replaying.invalid' WHERE id = v_contact.id AND email <> v_contact.email;
  END LOOP;
  INSERT INTO contact AS c (id, workspace_id, email, first_name, last_name, subscribed, source, stripe_customer_id, first_event_id)
  SELECT x.id, v_ws, x.email, x."firstName", x."lastName", x.subscribed, 'Stripe', x."stripeCustomerId", x."firstEventId"
    FROM jsonb_to_recordset(p_writes->'contacts')
      AS x(id uuid, email text, "firstName" text, "lastName" text, subscribed boolean, "stripeCustomerId" text, "firstEventId" text)
  ON CONFLICT (id) DO UPDATE SET
    email = EXCLUDED.email, first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, subscribed = EXCLUDED.subscribed,
    stripe_customer_id = EXCLUDED.stripe_customer_id, first_event_id = EXCLUDED.first_event_id, updated_at = now();

  -- The same Stripe event through a second endpoint: one change, the triggers of both.
  IF p_event IS NOT NULL THEN
    INSERT INTO contact_event AS ce (workspace_id, stripe_event_id, stripe_created_at, customer_id, email, first_name, last_name,
                                     authoritative, deletion, triggers, delivery_id, contact_id)
    SELECT v_ws, p_event->>'eventId', (p_event->>'created')::timestamptz, v_change->>'customerId', v_change->>'email',
           v_change->'name'->>'firstName', v_change->'name'->>'lastName', coalesce((v_change->>'authoritative')::boolean, false),
           CASE WHEN v_change->>'kind' = 'delete' THEN (v_change->>'behaviour')::deletion_behaviour END,
           coalesce(v_change->'triggers', '[]'), p_delivery_id, p."contactId"
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
    IF v_delivery_id <> p_delivery_id THEN
      UPDATE delivery SET contact_id = v_placement."contactId"
        WHERE id = (SELECT id FROM delivery WHERE id = v_delivery_id FOR UPDATE SKIP LOCKED)
          AND contact_id IS DISTINCT FROM v_placement."contactId";
    END IF;
    IF v_placement."contactId" IS NULL THEN
      DELETE FROM trigger_event WHERE workspace_id = v_ws AND stripe_event_id = v_placement."eventId";
    ELSE
      INSERT INTO trigger_event (workspace_id, contact_id, name, properties, stripe_event_id, delivery_id, occurred_at)
      SELECT v_ws, ce.contact_id, t.trigger->>'name', t.trigger->'properties', ce.stripe_event_id, ce.delivery_id, ce.stripe_created_at
        FROM contact_event ce CROSS JOIN LATERAL jsonb_array_elements(ce.triggers) WITH ORDINALITY AS t(trigger, n)
        WHERE ce.workspace_id = v_ws AND ce.stripe_event_id = v_placement."eventId"
        ORDER BY t.n
      ON CONFLICT (workspace_id, stripe_event_id, name) DO UPDATE SET contact_id = EXCLUDED.contact_id
        WHERE trigger_event.contact_id IS DISTINCT FROM EXCLUDED.contact_id;
    END IF;
  END LOOP;

  UPDATE delivery SET status = (p_writes->'outcome'->>'status')::delivery_status, reason = p_writes->'outcome'->>'reason',
                      contact_id = (p_writes->'outcome'->>'contactId')::uuid, processed_at = now(), attempts = attempts + 1
    WHERE id = p_delivery_id;
  IF NOT FOUND THEN RAISE EXCEPTION 'delivery % does not exist', p_delivery_id; END IF;
  DELETE FROM delivery_outbox WHERE delivery_id = p_delivery_id;
END $$;
