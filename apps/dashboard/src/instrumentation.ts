// Next runs register() once when a dashboard server starts, before it serves a request.
export async function register() {
  // Compared literally, as Next's instrumentation guide does: Next replaces NEXT_RUNTIME when it
  // builds, so the edge build drops the import (which it could not compile) along with the branch.
  // eslint-disable-next-line no-restricted-syntax -- set by Next at build time, not configuration
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkDatabaseRole } = await import("./server/services");
    await checkDatabaseRole();
  }
}
