-- Alerts: an incident per (workspace, kind, subject), opened and resolved by the worker's alert check.

-- CreateTable
CREATE TABLE "alert" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "subject_label" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    "opened_notice_at" TIMESTAMPTZ(3),
    "resolved_notice_at" TIMESTAMPTZ(3),

    CONSTRAINT "alert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "alert_workspace_id_subject_id_opened_at_idx" ON "alert"("workspace_id", "subject_id", "opened_at" DESC);

-- AddForeignKey
ALTER TABLE "alert" ADD CONSTRAINT "alert_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- hookloop:manual (SQL Prisma cannot express, and no function: those live in prisma/functions/)

-- One open incident per workspace, kind and subject: a second check that finds the same trouble
-- finds this row instead of opening another, so each incident is told once.
CREATE UNIQUE INDEX "alert_one_open_per_subject" ON "alert"("workspace_id", "kind", "subject_id") WHERE resolved_at IS NULL;

-- A tenant table like the others: only the workspace named for the transaction (app.workspace_id).
ALTER TABLE "alert" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "alert" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "alert"
  USING (workspace_id = nullif(current_setting('app.workspace_id', true), ''))
  WITH CHECK (workspace_id = nullif(current_setting('app.workspace_id', true), ''));
