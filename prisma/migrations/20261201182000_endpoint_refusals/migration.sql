-- Why events fail: requests to a known endpoint that failed verification, counted per endpoint,
-- cause and hour, with no body kept (ingest writes them through hookloop_count_refusals).

-- CreateTable
CREATE TABLE "endpoint_refusal" (
    "workspace_id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "last_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "endpoint_refusal_pkey" PRIMARY KEY ("endpoint_id","cause","hour")
);

-- CreateIndex
CREATE INDEX "endpoint_refusal_workspace_id_idx" ON "endpoint_refusal"("workspace_id");

-- AddForeignKey
ALTER TABLE "endpoint_refusal" ADD CONSTRAINT "endpoint_refusal_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "endpoint_refusal" ADD CONSTRAINT "endpoint_refusal_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- hookloop:manual (SQL Prisma cannot express, and no function: those live in prisma/functions/)

-- A tenant table like the others: only the workspace named for the transaction (app.workspace_id),
-- for its owner too. hookloop_app's grants come from the baseline's default privileges.
ALTER TABLE "endpoint_refusal" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "endpoint_refusal" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "endpoint_refusal"
  USING (workspace_id = nullif(current_setting('app.workspace_id', true), ''))
  WITH CHECK (workspace_id = nullif(current_setting('app.workspace_id', true), ''));
