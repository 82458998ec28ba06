import { Prisma } from "@hookloop/db/client";
import { InvalidInputError, NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type StartImportOptions = { workspaceId: string; endpointId: string };

/** The endpoint already has an import queued or running: at most one at a time. */
export class ImportInProgressError extends InvalidInputError {
  override name = "ImportInProgressError";
  constructor(readonly importRunId: string) {
    super("An import of this endpoint's Stripe customers is already running; wait for it to finish or cancel it.");
  }
}

/**
 * Records a new import of the endpoint's Stripe customers, queued, with its outbox row (so the
 * worker's relay queues it should the caller's own add fail). Needs a Stripe connection. A second
 * one while one is queued or running is refused by the partial unique index: ImportInProgressError.
 */
export async function startImport(tx: WorkspaceTx, options: StartImportOptions) {
  const { workspaceId, endpointId } = options;
  const endpoint = await tx.endpoint.findFirst({
    where: { id: endpointId, workspaceId, deletedAt: null },
    select: { id: true, stripeConnection: { select: { endpointId: true } } },
  });
  if (!endpoint) throw new NotFoundError("endpoint");
  if (!endpoint.stripeConnection) {
    throw new InvalidInputError("Connect Stripe first: paste a restricted key and test the connection, then import.");
  }
  const active = await tx.importRun.findFirst({
    where: { workspaceId, endpointId, status: { in: ["queued", "running"] } },
    select: { id: true },
  });
  if (active) throw new ImportInProgressError(active.id);
  try {
    const run = await tx.importRun.create({ data: { workspaceId, endpointId }, select: { id: true, createdAt: true } });
    await tx.importOutbox.create({ data: { importRunId: run.id, workspaceId } });
    return run;
  } catch (error) {
    // Two starts at once: the index lets one in (and this transaction can read no more).
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new ImportInProgressError("");
    throw error;
  }
}
