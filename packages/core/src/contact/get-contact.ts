import type { DbClient } from "@hookloop/db/client";
import { NotFoundError } from "../errors";
import { requireUuid } from "../ids";

/** One contact with its trigger events and the deliveries that changed it. Run inside withWorkspace. */
export async function getContact(tx: DbClient, options: { workspaceId: string; contactId: string }) {
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
