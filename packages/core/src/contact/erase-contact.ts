import { erasedEmailHash, isPlausibleEmail, normaliseEmail } from "@hookloop/domain";
import { z } from "zod";
import { recordAudit, type AuditActor } from "../audit/record-audit";
import { InvalidInputError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";
import { contactsLockKey } from "./contacts-lock";

export type EraseContactOptions = {
  workspaceId: string;
  /** The email to erase, whether or not a contact has it yet. */
  email: string;
  /** Who asked: kept in the erasure record. */
  requestedBy: string;
  /** Who ran the erasure, for the audit log (the CLI, an API key, a dashboard user). */
  actor?: AuditActor;
};

export const ERASED_PAYLOAD = { erased: true } as const;

const redactedRowsSchema = z.array(z.object({ id: z.string() }));

/**
 * Erases a person on request (GDPR art. 17): deletes their contact and its trigger events, blanks
 * every stored Stripe payload that names them (a queued one is never applied), removes from the
 * contact history every event of their email and of the Stripe customers that had it (so no
 * replay brings back an email they used before), deletes every destination message that names them
 * (sent or not, with its attempts), and keeps only a hash of the email — to stop any
 * later or replayed event from creating the contact again — and an audit record. Redis holds ids
 * only, so nothing queued there names them.
 */
export async function eraseContact(tx: WorkspaceTx, options: EraseContactOptions) {
  const email = normaliseEmail(options.email);
  if (!isPlausibleEmail(email)) throw new InvalidInputError("Enter the email address to erase.", "email");
  const { workspaceId } = options;
  const emailHash = erasedEmailHash(workspaceId, email);

  // Alone against the worker's replays of this workspace (hookloop_lock_contact_history).
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${contactsLockKey(workspaceId)}::bigint)`;
  const contact = await tx.contact.findUnique({ where: { workspaceId_email: { workspaceId, email } }, select: { id: true } });
  const triggerEventsDeleted = contact ? await tx.triggerEvent.count({ where: { contactId: contact.id } }) : 0;

  const pattern = `%${email.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  const redactedRows = await tx.$queryRaw`
    UPDATE delivery SET
      payload = ${JSON.stringify(ERASED_PAYLOAD)}::jsonb,
      status = CASE WHEN status = 'queued' THEN 'ignored'::delivery_status ELSE status END,
      reason = 'The payload was erased at the contact''s request.'
    WHERE workspace_id = ${workspaceId}
      AND (contact_id = ${contact?.id ?? null}::uuid OR lower(payload::text) LIKE ${pattern})
    RETURNING id`;
  const redacted = redactedRowsSchema.parse(redactedRows);
  if (redacted.length) {
    await tx.deliveryOutbox.deleteMany({ where: { deliveryId: { in: redacted.map((row) => row.id) } } });
  }
  await tx.$executeRaw`
    DELETE FROM message
    WHERE workspace_id = ${workspaceId}
      AND (payload->'contact'->>'id' = ${contact?.id ?? null} OR lower(payload::text) LIKE ${pattern})`;
  await tx.$executeRaw`
    DELETE FROM contact_event
    WHERE workspace_id = ${workspaceId}
      AND (email = ${email} OR customer_id IN (SELECT customer_id FROM contact_event WHERE workspace_id = ${workspaceId} AND email = ${email}))`;
  if (contact) await tx.contact.delete({ where: { id: contact.id } });

  await tx.contactSuppression.upsert({
    where: { workspaceId_emailHash: { workspaceId, emailHash } },
    create: { workspaceId, emailHash },
    update: {},
  });
  const erasure = await tx.erasureAudit.create({
    data: {
      workspaceId,
      emailHash,
      requestedBy: options.requestedBy,
      contactDeleted: Boolean(contact),
      triggerEventsDeleted,
      deliveriesRedacted: redacted.length,
    },
    select: { id: true, contactDeleted: true, triggerEventsDeleted: true, deliveriesRedacted: true, erasedAt: true },
  });
  // The email is what was erased: the entry names the erasure record, never the address.
  await recordAudit(tx, {
    workspaceId,
    actor: options.actor,
    action: "contact.erased",
    target: { type: "erasure", id: erasure.id, label: null },
    details: {
      requestedBy: options.requestedBy,
      contactDeleted: erasure.contactDeleted,
      triggerEventsDeleted: erasure.triggerEventsDeleted,
      deliveriesRedacted: erasure.deliveriesRedacted,
    },
  });
  return erasure;
}
