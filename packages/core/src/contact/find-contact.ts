import { normaliseEmail } from "@hookloop/domain";
import { requireUuid } from "../ids";
import type { WorkspaceTx } from "../workspace/with-workspace";

export type FindContactOptions = { workspaceId: string } & ({ contactId: string } | { email: string });

/** One contact by id or by email, with every column the contact record shows, or null. */
export async function findContact(tx: WorkspaceTx, options: FindContactOptions) {
  if ("contactId" in options) {
    requireUuid(options.contactId, "contact");
  }
  return tx.contact.findFirst({
    where: {
      workspaceId: options.workspaceId,
      ...("contactId" in options ? { id: options.contactId } : { email: normaliseEmail(options.email) }),
    },
    omit: { workspaceId: true, firstEventId: true },
  });
}
