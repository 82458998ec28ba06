-- DropIndex
DROP INDEX "delivery_status_received_at_idx";

-- AlterTable
ALTER TABLE "delivery" DROP COLUMN "enqueued_at";

-- CreateTable
CREATE TABLE "delivery_outbox" (
    "delivery_id" UUID NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "delivery_outbox_pkey" PRIMARY KEY ("delivery_id")
);

-- CreateIndex
CREATE INDEX "delivery_outbox_recorded_at_idx" ON "delivery_outbox"("recorded_at");

-- CreateIndex
CREATE INDEX "delivery_workspace_id_status_received_at_idx" ON "delivery"("workspace_id", "status", "received_at" DESC);

-- hookloop:manual (everything below is SQL Prisma cannot express; the drift test replays it)

-- Services connect as, or SET ROLE to, hookloop_app: no superuser, no BYPASSRLS.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hookloop_app') THEN
    CREATE ROLE hookloop_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
END $$;
GRANT USAGE ON SCHEMA public TO hookloop_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO hookloop_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO hookloop_app;

-- The workspace a transaction works for, set transaction-locally by withWorkspace (@hookloop/core).
CREATE FUNCTION hookloop_workspace() RETURNS text LANGUAGE sql STABLE
AS $$ SELECT nullif(current_setting('app.workspace_id', true), '') $$;

-- Every tenant table admits only the current workspace's rows, for its owner too (FORCE).
ALTER TABLE "endpoint" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "endpoint" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "endpoint"
  USING (workspace_id = hookloop_workspace()) WITH CHECK (workspace_id = hookloop_workspace());

ALTER TABLE "endpoint_event" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "endpoint_event" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "endpoint_event"
  USING (workspace_id = hookloop_workspace()) WITH CHECK (workspace_id = hookloop_workspace());

ALTER TABLE "delivery" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "delivery" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "delivery"
  USING (workspace_id = hookloop_workspace()) WITH CHECK (workspace_id = hookloop_workspace());

ALTER TABLE "contact" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "contact" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "contact"
  USING (workspace_id = hookloop_workspace()) WITH CHECK (workspace_id = hookloop_workspace());

ALTER TABLE "stripe_customer" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "stripe_customer" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "stripe_customer"
  USING (workspace_id = hookloop_workspace()) WITH CHECK (workspace_id = hookloop_workspace());

ALTER TABLE "trigger_event" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "trigger_event" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "trigger_event"
  USING (workspace_id = hookloop_workspace()) WITH CHECK (workspace_id = hookloop_workspace());

-- Ingest knows only the endpoint id in the URL: it may read that one endpoint and its settings.
CREATE POLICY ingest_lookup ON "endpoint" FOR SELECT
  USING (id = nullif(current_setting('app.endpoint_id', true), ''));
CREATE POLICY ingest_lookup ON "endpoint_event" FOR SELECT
  USING (endpoint_id = nullif(current_setting('app.endpoint_id', true), ''));

-- The enabled endpoint a webhook URL names, with its secrets (still encrypted) and event settings.
CREATE FUNCTION hookloop_ingest_endpoint(p_endpoint_id text) RETURNS jsonb LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  PERFORM set_config('app.endpoint_id', p_endpoint_id, true);
  RETURN (
    SELECT jsonb_build_object(
      'id', e.id,
      'workspaceId', e.workspace_id,
      'secretCiphertext', e.secret_ciphertext,
      'previousSecretCiphertext', e.previous_secret_ciphertext,
      'previousSecretExpiresAt', e.previous_secret_expires_at,
      'syncNames', e.sync_names,
      'onCustomerDeleted', e.on_customer_deleted,
      'events', (
        SELECT coalesce(jsonb_agg(jsonb_build_object('eventType', ev.event_type, 'enabled', ev.enabled, 'triggerName', ev.trigger_name)), '[]'::jsonb)
        FROM endpoint_event ev WHERE ev.endpoint_id = e.id))
    FROM endpoint e WHERE e.id = p_endpoint_id AND e.enabled);
END $$;

-- Records one verified event for the endpoint's own workspace, once per (endpoint, Stripe event
-- id), and puts a queued one in the outbox in the same transaction. Returns the new delivery's id,
-- or null for a duplicate.
CREATE FUNCTION hookloop_record_delivery(
  p_endpoint_id text, p_stripe_event_id text, p_type text, p_livemode boolean, p_created bigint,
  p_status delivery_status, p_reason text, p_payload jsonb
) RETURNS uuid LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_workspace_id text;
  v_delivery_id uuid;
BEGIN
  PERFORM set_config('app.endpoint_id', p_endpoint_id, true);
  SELECT workspace_id INTO v_workspace_id FROM endpoint WHERE id = p_endpoint_id;
  IF v_workspace_id IS NULL THEN
    RAISE EXCEPTION 'no endpoint %', p_endpoint_id USING ERRCODE = 'no_data_found';
  END IF;
  PERFORM set_config('app.workspace_id', v_workspace_id, true);
  INSERT INTO delivery (workspace_id, endpoint_id, stripe_event_id, type, livemode, stripe_created_at, status, reason, payload)
  VALUES (v_workspace_id, p_endpoint_id, p_stripe_event_id, p_type, p_livemode, to_timestamp(p_created), p_status, p_reason, p_payload)
  ON CONFLICT (endpoint_id, stripe_event_id) DO NOTHING
  RETURNING id INTO v_delivery_id;
  IF v_delivery_id IS NOT NULL AND p_status = 'queued' THEN
    INSERT INTO delivery_outbox (delivery_id, workspace_id) VALUES (v_delivery_id, v_workspace_id);
  END IF;
  RETURN v_delivery_id;
END $$;
