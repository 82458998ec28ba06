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
CREATE INDEX "contact_event_contact_id_idx" ON "contact_event"("contact_id");

-- CreateIndex
CREATE INDEX "contact_event_delivery_id_idx" ON "contact_event"("delivery_id");

-- CreateIndex
CREATE UNIQUE INDEX "contact_workspace_id_first_event_id_key" ON "contact"("workspace_id", "first_event_id");

-- AddForeignKey
ALTER TABLE "contact_event" ADD CONSTRAINT "contact_event_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_event" ADD CONSTRAINT "contact_event_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "delivery"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_event" ADD CONSTRAINT "contact_event_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE SET NULL ON UPDATE CASCADE;

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

-- The part of a workspace's contact history that the given customers and emails belong to: every
-- event linked to them through a Stripe customer or an email, and so on, as customer ids and emails.
CREATE FUNCTION hookloop_contact_cluster(p_workspace_id text, INOUT p_customers text[], INOUT p_emails text[])
LANGUAGE plpgsql STABLE
AS $$
DECLARE
  v_size integer;
BEGIN
  LOOP
    v_size := cardinality(p_customers) + cardinality(p_emails);
    WITH linked AS (
      SELECT ce.customer_id, ce.email FROM contact_event ce
      WHERE ce.workspace_id = p_workspace_id AND (ce.customer_id = ANY (p_customers) OR ce.email = ANY (p_emails)))
    SELECT ARRAY(SELECT unnest(p_customers) UNION SELECT customer_id FROM linked WHERE customer_id IS NOT NULL),
           ARRAY(SELECT unnest(p_emails) UNION SELECT email FROM linked WHERE email IS NOT NULL)
      INTO p_customers, p_emails;
    EXIT WHEN cardinality(p_customers) + cardinality(p_emails) = v_size;
  END LOOP;
END $$;

-- Adds a delivery's contact change (@hookloop/domain planContactChange, as JSON) to the history of
-- the workspace named for this transaction, and returns the part of the history it belongs to,
-- with that part's contacts, for the caller to replay:
--   {events: [...], contacts: [...]}, or {erased: true} when the change names an email erased on
--   request (nothing is recorded), or {retry: true}, see below.
-- Locking: every caller holds the workspace's contacts lock shared and the advisory lock of each
-- customer and email of its part, taken in one sorted pass, so two deliveries whose parts touch run
-- one after the other and others at once. A part that grew while its locks were taken (another
-- delivery linked it to more) cannot be locked in order any more: the caller rolls back and runs
-- again with p_exclusive, which holds the workspace's contacts lock alone.
CREATE FUNCTION hookloop_record_contact_event(p_delivery_id uuid, p_event_id text, p_created timestamptz, p_change jsonb, p_exclusive boolean)
RETURNS jsonb LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_ws text := hookloop_workspace();
  v_email text := p_change->>'email';
  v_customers text[];
  v_emails text[];
  v_locked_customers text[];
  v_locked_emails text[];
  v_key text;
BEGIN
  IF v_ws IS NULL THEN
    RAISE EXCEPTION 'hookloop_record_contact_event: no workspace set for this transaction';
  END IF;
  IF p_exclusive THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('contacts:' || v_ws, 0));
  ELSE
    PERFORM pg_advisory_xact_lock_shared(hashtextextended('contacts:' || v_ws, 0));
  END IF;

  IF v_email IS NOT NULL AND EXISTS (
    SELECT 1 FROM contact_suppression
    WHERE workspace_id = v_ws AND email_hash = encode(sha256(convert_to(v_ws || ':' || v_email, 'UTF8')), 'hex')) THEN
    RETURN jsonb_build_object('erased', true);
  END IF;

  -- The part is found and locked before the event joins it, so that nothing else is locked first.
  SELECT c.p_customers, c.p_emails INTO v_customers, v_emails
    FROM hookloop_contact_cluster(v_ws, array_remove(ARRAY[p_change->>'customerId'], NULL), array_remove(ARRAY[v_email], NULL)) c;
  IF NOT p_exclusive THEN
    FOR v_key IN
      SELECT k FROM (SELECT 'customer:' || unnest(v_customers) UNION ALL SELECT 'email:' || unnest(v_emails)) AS keys(k) ORDER BY k
    LOOP
      PERFORM pg_advisory_xact_lock(hashtextextended(v_ws || ':' || v_key, 0));
    END LOOP;
    v_locked_customers := v_customers;
    v_locked_emails := v_emails;
    SELECT c.p_customers, c.p_emails INTO v_customers, v_emails FROM hookloop_contact_cluster(v_ws, v_customers, v_emails) c;
    IF cardinality(v_customers) <> cardinality(v_locked_customers) OR cardinality(v_emails) <> cardinality(v_locked_emails) THEN
      RETURN jsonb_build_object('retry', true);
    END IF;
  END IF;

  -- The same Stripe event through a second endpoint: one change, the triggers of both.
  INSERT INTO contact_event AS ce (workspace_id, stripe_event_id, stripe_created_at, customer_id, email, first_name, last_name,
                                   authoritative, deletion, triggers, delivery_id)
  VALUES (v_ws, p_event_id, p_created, p_change->>'customerId', v_email, p_change->'name'->>'firstName', p_change->'name'->>'lastName',
          coalesce((p_change->>'authoritative')::boolean, false),
          CASE WHEN p_change->>'kind' = 'delete' THEN (p_change->>'behaviour')::deletion_behaviour END,
          coalesce(p_change->'triggers', '[]'), p_delivery_id)
  ON CONFLICT (workspace_id, stripe_event_id) DO UPDATE SET triggers = (
    SELECT coalesce(jsonb_agg(t), '[]') FROM (
      SELECT DISTINCT ON (t->>'name') t FROM jsonb_array_elements(ce.triggers || EXCLUDED.triggers) AS t) AS merged);

  RETURN jsonb_build_object(
    'events', (
      SELECT coalesce(jsonb_agg(jsonb_build_object(
        'eventId', ce.stripe_event_id, 'created', ce.stripe_created_at, 'customerId', ce.customer_id, 'email', ce.email,
        'firstName', ce.first_name, 'lastName', ce.last_name, 'authoritative', ce.authoritative, 'deletion', ce.deletion,
        'contactId', ce.contact_id)), '[]')
      FROM contact_event ce
      WHERE ce.workspace_id = v_ws AND (ce.customer_id = ANY (v_customers) OR ce.email = ANY (v_emails))),
    'contacts', (
      SELECT coalesce(jsonb_agg(jsonb_build_object(
        'id', c.id, 'email', c.email, 'firstEventId', c.first_event_id, 'firstName', c.first_name, 'lastName', c.last_name,
        'subscribed', c.subscribed, 'stripeCustomerId', c.stripe_customer_id)), '[]')
      FROM contact c
      WHERE c.workspace_id = v_ws AND (c.email = ANY (v_emails) OR c.id IN (
        SELECT ce.contact_id FROM contact_event ce
        WHERE ce.workspace_id = v_ws AND (ce.customer_id = ANY (v_customers) OR ce.email = ANY (v_emails))))));
END $$;

-- Writes what a replay of one part of the history changed, for the delivery claimed in this
-- transaction (see @hookloop/core apply-delivery.ts): p_writes is
--   {remove: [contact id], contacts: [contact, new or changed], placements: [{eventId, contactId}], outcome: {status, reason, contactId}}
-- Contacts go first, with the emails that change parked on a placeholder so that two contacts may
-- trade emails; then each re-placed event moves its trigger events to its contact (or drops them
-- when it has none), and the delivery records its outcome and leaves the outbox.
CREATE FUNCTION hookloop_apply_contact_history(p_delivery_id uuid, p_writes jsonb)
RETURNS void LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_ws text := hookloop_workspace();
BEGIN
  IF v_ws IS NULL THEN
    RAISE EXCEPTION 'hookloop_apply_contact_history: no workspace set for this transaction';
  END IF;

  DELETE FROM contact WHERE workspace_id = v_ws AND id IN (SELECT (jsonb_array_elements_text(p_writes->'remove'))::uuid);

  UPDATE contact c SET email = c.id || '@replaying.invalid'
    FROM jsonb_to_recordset(p_writes->'contacts') AS x(id uuid, email text)
    WHERE c.id = x.id AND c.email <> x.email;
  INSERT INTO contact AS c (id, workspace_id, email, first_name, last_name, subscribed, source, stripe_customer_id, first_event_id)
  SELECT x.id, v_ws, x.email, x."firstName", x."lastName", x.subscribed, 'Stripe', x."stripeCustomerId", x."firstEventId"
    FROM jsonb_to_recordset(p_writes->'contacts')
      AS x(id uuid, email text, "firstName" text, "lastName" text, subscribed boolean, "stripeCustomerId" text, "firstEventId" text)
  ON CONFLICT (id) DO UPDATE SET
    email = EXCLUDED.email, first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, subscribed = EXCLUDED.subscribed,
    stripe_customer_id = EXCLUDED.stripe_customer_id, first_event_id = EXCLUDED.first_event_id, updated_at = now();

  UPDATE contact_event ce SET contact_id = p."contactId"
    FROM jsonb_to_recordset(p_writes->'placements') AS p("eventId" text, "contactId" uuid)
    WHERE ce.workspace_id = v_ws AND ce.stripe_event_id = p."eventId";
  -- A delivery another worker holds (a replay of it) records its own contact when it is done.
  WITH placed AS (
    SELECT ce.delivery_id, ce.contact_id
    FROM contact_event ce JOIN jsonb_to_recordset(p_writes->'placements') AS p("eventId" text)
      ON ce.workspace_id = v_ws AND ce.stripe_event_id = p."eventId"
    WHERE ce.delivery_id <> p_delivery_id
  ), free AS (
    SELECT d.id FROM delivery d JOIN placed ON d.id = placed.delivery_id
    WHERE d.contact_id IS DISTINCT FROM placed.contact_id
    FOR UPDATE OF d SKIP LOCKED
  )
  UPDATE delivery d SET contact_id = placed.contact_id FROM placed, free WHERE d.id = free.id AND d.id = placed.delivery_id;
  DELETE FROM trigger_event t USING jsonb_to_recordset(p_writes->'placements') AS p("eventId" text, "contactId" uuid)
    WHERE t.workspace_id = v_ws AND t.stripe_event_id = p."eventId" AND p."contactId" IS NULL;
  INSERT INTO trigger_event (workspace_id, contact_id, name, properties, stripe_event_id, delivery_id, occurred_at)
  SELECT v_ws, ce.contact_id, t.trigger->>'name', t.trigger->'properties', ce.stripe_event_id, ce.delivery_id, ce.stripe_created_at
    FROM jsonb_to_recordset(p_writes->'placements') AS p("eventId" text)
    JOIN contact_event ce ON ce.workspace_id = v_ws AND ce.stripe_event_id = p."eventId"
    CROSS JOIN LATERAL jsonb_array_elements(ce.triggers) WITH ORDINALITY AS t(trigger, n)
    WHERE ce.contact_id IS NOT NULL
    ORDER BY ce.stripe_created_at, ce.stripe_event_id, t.n
  ON CONFLICT (workspace_id, stripe_event_id, name) DO UPDATE SET contact_id = EXCLUDED.contact_id
    WHERE trigger_event.contact_id IS DISTINCT FROM EXCLUDED.contact_id;

  UPDATE delivery SET status = (p_writes->'outcome'->>'status')::delivery_status, reason = p_writes->'outcome'->>'reason',
                      contact_id = (p_writes->'outcome'->>'contactId')::uuid, processed_at = now(), attempts = attempts + 1
    WHERE id = p_delivery_id;
  IF NOT FOUND THEN RAISE EXCEPTION 'delivery % does not exist', p_delivery_id; END IF;
  DELETE FROM delivery_outbox WHERE delivery_id = p_delivery_id;
END $$;
