import type { WorkspaceTx } from "../workspace/with-workspace";

export type ListTriggerEventsOptions = { workspaceId: string; name?: string; contactId?: string; limit?: number };

/** Newest first. */
export async function listTriggerEvents(tx: WorkspaceTx, options: ListTriggerEventsOptions) {
  return tx.triggerEvent.findMany({
    where: {
      workspaceId: options.workspaceId,
      ...(options.name ? { name: options.name } : {}),
      ...(options.contactId ? { contactId: options.contactId } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(options.limit ?? 50, 1), 500),
    select: {
      id: true,
      name: true,
      properties: true,
      stripeEventId: true,
      occurredAt: true,
      createdAt: true,
      contact: { select: { id: true, email: true } },
    },
  });
}
