import type { Db, DbClient } from "@hookloop/db/client";

/**
 * Runs `work` in a transaction scoped to one workspace: `app.workspace_id` is set for that
 * transaction only, and row-level security on every tenant table admits that workspace's rows alone.
 * Every read or write of tenant data goes through here.
 */
export async function withWorkspace<T>(
  db: Db,
  workspaceId: string,
  work: (tx: DbClient) => Promise<T>,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT set_config('app.workspace_id', ${workspaceId}, true)`;
      return work(tx);
    },
    { maxWait: 10_000, timeout: options.timeoutMs ?? 20_000 },
  );
}
