import { NotFoundError } from "../errors";
import { requireUuid } from "../ids";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type GetContactOptions = { workspaceId: string; contactId: string };

/** One contact with its trigger events and the deliveries that changed it. */
export async function getContact(tx: WorkspaceTx, options: GetContactOptions) {
  requireUuid(options.contactId, "contact");
  const contact = await tx.contact.findFirst({
    where: { id: options.contactId, workspaceId: options.workspaceId },
    include: {
      triggerEvents: { orderBy: { createdAt: "desc" }, take: 100 },
      deliveries: {
        orderBy: { receivedAt: "desc" },
        take: 100,
        select: { id: true, type: true, status: true, reason: true, receivedAt: true, endpointId: true },
      },
    },
  });
  if (!contact) throw new NotFoundError("contact");
  return contact;
}
