-- An endpoint's Stripe API key (sealed like its signing secret) and its imports of existing
-- customers, with their progress.

-- CreateEnum
CREATE TYPE "import_status" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'canceled');

-- CreateTable
CREATE TABLE "stripe_connection" (
    "endpoint_id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "key_ciphertext" TEXT NOT NULL,
    "key_last4" TEXT NOT NULL,
    "key_kind" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "account_name" TEXT,
    "connected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stripe_connection_pkey" PRIMARY KEY ("endpoint_id")
);

-- CreateTable
CREATE TABLE "import_run" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "status" "import_status" NOT NULL DEFAULT 'queued',
    "customers_total" INTEGER,
    "customers_read" INTEGER NOT NULL DEFAULT 0,
    "subscriptions_read" INTEGER NOT NULL DEFAULT 0,
    "invoices_read" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "checkpoint" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "cancel_requested_at" TIMESTAMPTZ(3),
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "import_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_outbox" (
    "import_run_id" UUID NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "import_outbox_pkey" PRIMARY KEY ("import_run_id")
);

-- CreateIndex
CREATE INDEX "stripe_connection_workspace_id_idx" ON "stripe_connection"("workspace_id");

-- CreateIndex
CREATE INDEX "import_run_workspace_id_endpoint_id_created_at_idx" ON "import_run"("workspace_id", "endpoint_id", "created_at" DESC);

-- AddForeignKey
ALTER TABLE "stripe_connection" ADD CONSTRAINT "stripe_connection_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stripe_connection" ADD CONSTRAINT "stripe_connection_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_run" ADD CONSTRAINT "import_run_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_run" ADD CONSTRAINT "import_run_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- hookloop:manual (SQL Prisma cannot express, and no function: those live in prisma/functions/)

-- At most one import queued or running per endpoint: a second start is refused by this index.
CREATE UNIQUE INDEX "import_run_one_active_per_endpoint" ON "import_run"("endpoint_id")
  WHERE status IN ('queued', 'running');

-- Tenant tables like the others: only the workspace named for the transaction (app.workspace_id),
-- for their owner too. hookloop_app's grants come from the baseline's default privileges.
-- import_outbox holds ids only and has no policy, like delivery_outbox, so the worker can scan it.
ALTER TABLE "stripe_connection" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "stripe_connection" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "stripe_connection"
  USING (workspace_id = nullif(current_setting('app.workspace_id', true), ''))
  WITH CHECK (workspace_id = nullif(current_setting('app.workspace_id', true), ''));

ALTER TABLE "import_run" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "import_run" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "import_run"
  USING (workspace_id = nullif(current_setting('app.workspace_id', true), ''))
  WITH CHECK (workspace_id = nullif(current_setting('app.workspace_id', true), ''));
