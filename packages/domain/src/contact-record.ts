import { z } from "zod";
import { toBillingState } from "./billing-state";

const timestamp = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((value) => new Date(value).toISOString());

/**
 * A contact as Hookloop shows it outside the database: this one list of fields is what a
 * destination message carries. Parsing a contact row keeps exactly these fields (zod drops the
 * rest: the workspace id, the first event id), so a field added here reaches every message
 * without touching the code that builds them.
 */
export const contactRecordSchema = z.object({
  id: z.string(),
  /** Trimmed and lower-cased. */
  email: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  subscribed: z.boolean(),
  /** Where the contact came from, such as `stripe`. */
  source: z.string(),
  stripeCustomerId: z.string().nullable(),
  /** Subscription status, plan, MRR, lifetime value… (billing-state.ts); a contact no replay has reached reads as none. */
  billing: z.unknown().optional().transform(toBillingState),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export type ContactRecord = z.output<typeof contactRecordSchema>;
/** A contact row as the database hands it over: timestamps as dates, other columns alongside. */
export type ContactRow = z.input<typeof contactRecordSchema>;

export const contactRecordFields = Object.keys(contactRecordSchema.shape) as Array<keyof ContactRecord>;

export function toContactRecord(row: ContactRow): ContactRecord {
  return contactRecordSchema.parse(row);
}
