-- CreateTable
CREATE TABLE "contact_suppression" (
    "workspace_id" TEXT NOT NULL,
    "email_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_suppression_pkey" PRIMARY KEY ("workspace_id","email_hash")
);

-- CreateTable
CREATE TABLE "erasure_audit" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" TEXT NOT NULL,
    "email_hash" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "contact_deleted" BOOLEAN NOT NULL,
    "trigger_events_deleted" INTEGER NOT NULL,
    "deliveries_redacted" INTEGER NOT NULL,
    "erased_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "erasure_audit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "erasure_audit_workspace_id_erased_at_idx" ON "erasure_audit"("workspace_id", "erased_at" DESC);

-- AddForeignKey
ALTER TABLE "contact_suppression" ADD CONSTRAINT "contact_suppression_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "erasure_audit" ADD CONSTRAINT "erasure_audit_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- hookloop:manual (SQL Prisma cannot express; the drift test replays it)
ALTER TABLE "contact_suppression" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "contact_suppression" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "contact_suppression"
  USING (workspace_id = hookloop_workspace()) WITH CHECK (workspace_id = hookloop_workspace());

ALTER TABLE "erasure_audit" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "erasure_audit" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "erasure_audit"
  USING (workspace_id = hookloop_workspace()) WITH CHECK (workspace_id = hookloop_workspace());
