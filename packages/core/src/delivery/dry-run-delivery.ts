// What a Stripe event would do on an endpoint, with its settings as they are now, without writing
// anything: the very path the worker takes (plan, lock the part of the history, replay, write the
// contacts, trigger events and destination messages), in a transaction that is rolled back. So the
// answer cannot drift from what applying does, and nothing of it stays: no contact, no trigger
// event, no message, no delivery.
import type { Db } from "@hookloop/db/client";
import {
  billingStateSchema,
  classifyEvent,
  endpointEventSettingSchema,
  planContactChange,
  stripeEventSchema,
  withTriggerNote,
  type TriggerProperties,
} from "@hookloop/domain";
import { z } from "zod";
import {
  enabledDestinations,
  erasedReason,
  lockContactHistory,
  replayPart,
  subscriptionChangeTriggersOf,
  withContactHistory,
  writeReplay,
  type ContactRow,
} from "../contact/contact-history";
import { NotFoundError } from "../errors";

export type DryRunDeliveryOptions = {
  workspaceId: string;
  endpointId: string;
  /** A Stripe event as Stripe posts it (parsed JSON): pasted, or a past delivery's payload. */
  event: unknown;
};

/** A contact as the dry run shows it. */
export type DryRunContact = {
  email: string;
  firstName: string | null;
  lastName: string | null;
  subscribed: boolean;
  subscriptionStatus: string | null;
  plan: string | null;
  mrr: number;
};

export type DryRunContactChange =
  | { change: "created"; after: DryRunContact }
  | { change: "updated" | "unsubscribed"; before: DryRunContact; after: DryRunContact }
  | { change: "deleted"; before: DryRunContact };

export type DryRunResult =
  | { outcome: "invalid"; reason: string }
  | { outcome: "ignored"; reason: string }
  /** The event names no contact yet: the worker retries it until its customer's event arrives. */
  | { outcome: "waiting"; reason: string }
  | {
      outcome: "processed";
      reason: string;
      /** Already in the history (applied before, or through another endpoint): applying it again changes nothing. */
      alreadyApplied: boolean;
      contacts: DryRunContactChange[];
      triggers: Array<{ name: string; properties: TriggerProperties; email: string }>;
      messages: Array<{ destinationId: string; destinationName: string; type: string }>;
    };

const endpointRowSchema = z.object({
  sync_names: z.boolean(),
  on_customer_deleted: z.enum(["delete", "unsubscribe"]),
  events: z.array(endpointEventSettingSchema),
});

const endpointStatement = `
  SELECT e.sync_names, e.on_customer_deleted,
         (SELECT coalesce(jsonb_agg(jsonb_build_object('eventType', ev.event_type, 'enabled', ev.enabled,
                                                       'triggerName', ev.trigger_name, 'condition', ev.condition)), '[]')
            FROM endpoint_event ev WHERE ev.endpoint_id = e.id) AS events
    FROM endpoint e WHERE e.id = $1`;

/** A changed contact as hookloop_apply_contact_history reports it (camel-cased). */
const changedRowSchema = z.object({
  id: z.string(),
  email: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  subscribed: z.boolean(),
  billing: billingStateSchema.nullable().optional(),
});

function shown(row: Omit<z.infer<typeof changedRowSchema>, "id"> | ContactRow): DryRunContact {
  const billing = row.billing ?? null;
  return {
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    subscribed: row.subscribed,
    subscriptionStatus: billing?.subscriptionStatus ?? null,
    plan: billing?.plan ?? null,
    mrr: billing?.mrr ?? 0,
  };
}

/** What applying `event` on the endpoint would do now; writes nothing. */
export async function dryRunDelivery(db: Db, options: DryRunDeliveryOptions): Promise<DryRunResult> {
  const parsed = stripeEventSchema.safeParse(options.event);
  if (!parsed.success) {
    return {
      outcome: "invalid",
      reason: "This is not a Stripe event: it needs at least an id, a type, created and data.object.",
    };
  }
  const stripeEvent = parsed.data;
  return withContactHistory(
    db,
    async (client, lock): Promise<DryRunResult> => {
      await client.query({
        name: "hookloop_set_workspace",
        text: "SELECT set_config('app.workspace_id', $1, true)",
        values: [options.workspaceId],
      });
      const endpointRows = await client.query({
        name: "hookloop_dry_run_endpoint",
        text: endpointStatement,
        values: [options.endpointId],
      });
      if (!endpointRows.rows[0]) throw new NotFoundError("endpoint");
      const endpoint = endpointRowSchema.parse(endpointRows.rows[0]);

      const classification = classifyEvent(stripeEvent.type, endpoint.events);
      if (!classification.accepted) return { outcome: "ignored", reason: classification.reason };
      const change = planContactChange(stripeEvent, {
        syncNames: endpoint.sync_names,
        onCustomerDeleted: endpoint.on_customer_deleted,
        events: endpoint.events,
      });
      if (change.kind === "unusable") return { outcome: "invalid", reason: change.reason };

      const part = await lockContactHistory(client, options.workspaceId, change, lock);
      if ("erased" in part) {
        return { outcome: "ignored", reason: erasedReason };
      }
      const event = { eventId: stripeEvent.id, created: new Date(stripeEvent.created * 1000), change };
      const replayed = replayPart(part, event, subscriptionChangeTriggersOf(endpoint.events));
      if (replayed.placed.unresolvable) return { outcome: "waiting", reason: replayed.placed.reason };

      const destinations = await enabledDestinations(client);
      const { fired, contacts, messages } = await writeReplay(client, {
        workspaceId: options.workspaceId,
        deliveryId: null,
        event,
        writes: replayed.writes,
        outcome: { status: "processed", reason: replayed.placed.reason, contactId: replayed.contactId },
        destinations,
        reportContacts: true,
        origin: { id: stripeEvent.id, type: stripeEvent.type, created: event.created },
      });
      const before = new Map(part.contacts.map((row) => [row.id, row]));
      const names = await client.query({ name: "hookloop_destination_names", text: "SELECT id, name FROM destination" });
      const nameOf = new Map(
        z
          .array(z.object({ id: z.string(), name: z.string() }))
          .parse(names.rows)
          .map((row) => [row.id, row.name]),
      );
      return {
        outcome: "processed",
        reason: withTriggerNote(replayed.placed.reason, change),
        alreadyApplied: part.events.some((recorded) => recorded.eventId === stripeEvent.id),
        contacts: contacts.map(({ change: kind, contact }): DryRunContactChange => {
          const row = changedRowSchema.parse(contact);
          const prior = before.get(row.id);
          if (kind === "deleted") return { change: "deleted", before: shown(row) };
          if (kind === "created" || !prior) return { change: "created", after: shown(row) };
          return { change: kind, before: shown(prior), after: shown(row) };
        }),
        triggers: fired.map((trigger) => ({
          name: trigger.name,
          properties: trigger.properties,
          email: String(trigger.contact.email),
        })),
        messages: messages.map((message) => ({
          destinationId: message.destinationId,
          destinationName: nameOf.get(message.destinationId) ?? message.destinationId,
          type: message.type,
        })),
      };
    },
    { rollback: true },
  );
}
