import type { Db, DbClient } from "@hookloop/db/client";

declare const insideWorkspace: unique symbol;

/**
 * A transaction scoped to one workspace. Only withWorkspace makes one (the brand's symbol is not
 * exported), so an operation that takes a WorkspaceTx cannot be called outside it without a cast.
 */
export type WorkspaceTx = DbClient & { readonly [insideWorkspace]: true };

export type WithWorkspaceOptions = { timeoutMs?: number };

/**
 * Runs `work` in a transaction scoped to one workspace: `app.workspace_id` is set for that
 * transaction only, and row-level security on every tenant table admits that workspace's rows alone.
 * Every read or write of tenant data goes through here.
 */
export async function withWorkspace<T>(
  db: Db,
  workspaceId: string,
  work: (tx: WorkspaceTx) => Promise<T>,
  options: WithWorkspaceOptions = {},
): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT set_config('app.workspace_id', ${workspaceId}, true)`;
      const scoped: DbClient = tx;
      return work(scoped as WorkspaceTx);
    },
    { maxWait: 10_000, timeout: options.timeoutMs ?? 20_000 },
  );
}
