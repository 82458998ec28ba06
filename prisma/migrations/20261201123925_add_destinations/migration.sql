-- CreateEnum
CREATE TYPE "message_status" AS ENUM ('pending', 'delivered', 'failed');

-- CreateTable
CREATE TABLE "destination" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "paused_at" TIMESTAMPTZ(3),
    "paused_reason" TEXT,
    "secret_ciphertext" TEXT NOT NULL,
    "previous_secret_ciphertext" TEXT,
    "previous_secret_expires_at" TIMESTAMPTZ(3),
    "all_triggers" BOOLEAN NOT NULL DEFAULT true,
    "trigger_names" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "contact_changes" BOOLEAN NOT NULL DEFAULT false,
    "last_success_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "destination_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "message" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" TEXT NOT NULL,
    "destination_id" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "message_status" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leased_until" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "message_attempt" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" TEXT NOT NULL,
    "message_id" UUID NOT NULL,
    "attempted_at" TIMESTAMPTZ(3) NOT NULL,
    "http_status" INTEGER,
    "latency_ms" INTEGER NOT NULL,
    "response_excerpt" TEXT,
    "error" TEXT,

    CONSTRAINT "message_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "message_outbox" (
    "message_id" UUID NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "destination_id" TEXT NOT NULL,
    "due_at" TIMESTAMPTZ(3),

    CONSTRAINT "message_outbox_pkey" PRIMARY KEY ("message_id")
);

-- CreateIndex
CREATE INDEX "destination_workspace_id_idx" ON "destination"("workspace_id");

-- CreateIndex
CREATE INDEX "message_destination_id_created_at_idx" ON "message"("destination_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "message_destination_id_status_next_attempt_at_idx" ON "message"("destination_id", "status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "message_workspace_id_created_at_idx" ON "message"("workspace_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "message_destination_id_message_id_key" ON "message"("destination_id", "message_id");

-- CreateIndex
CREATE INDEX "message_attempt_message_id_attempted_at_idx" ON "message_attempt"("message_id", "attempted_at");

-- CreateIndex
CREATE INDEX "message_outbox_due_at_idx" ON "message_outbox"("due_at");

-- CreateIndex
CREATE INDEX "message_outbox_destination_id_idx" ON "message_outbox"("destination_id");

-- AddForeignKey
ALTER TABLE "destination" ADD CONSTRAINT "destination_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message" ADD CONSTRAINT "message_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message" ADD CONSTRAINT "message_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "destination"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message_attempt" ADD CONSTRAINT "message_attempt_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message_outbox" ADD CONSTRAINT "message_outbox_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- hookloop:manual (SQL Prisma cannot express, and no function: those live in prisma/functions/)

-- Destinations and their messages are tenant tables like the others: only the workspace named for
-- the transaction (app.workspace_id), for their owner too. message_outbox holds ids only and has no
-- policy, so the message relay can scan every workspace's due messages.
ALTER TABLE "destination" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "destination" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "destination"
  USING (workspace_id = nullif(current_setting('app.workspace_id', true), ''))
  WITH CHECK (workspace_id = nullif(current_setting('app.workspace_id', true), ''));

ALTER TABLE "message" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "message" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "message"
  USING (workspace_id = nullif(current_setting('app.workspace_id', true), ''))
  WITH CHECK (workspace_id = nullif(current_setting('app.workspace_id', true), ''));

ALTER TABLE "message_attempt" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "message_attempt" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "message_attempt"
  USING (workspace_id = nullif(current_setting('app.workspace_id', true), ''))
  WITH CHECK (workspace_id = nullif(current_setting('app.workspace_id', true), ''));

-- An operator naming one destination (the CLI's messages:list) may read that destination alone to
-- learn its workspace (app.destination_id), as ingest reads the one endpoint its URL names.
CREATE POLICY operator_lookup ON "destination" FOR SELECT
  USING (id = nullif(current_setting('app.destination_id', true), ''));

