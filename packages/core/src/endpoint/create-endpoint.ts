import { randomBytes } from "node:crypto";
import {
  isSupportedEventType,
  subscriptionChangeSettingTypes,
  signingSecretSchema,
  stripeEventCatalogue,
  supportedEventTypes,
  triggerNameSchema,
} from "@hookloop/domain";
import type { SecretBox } from "@hookloop/secrets";
import { recordAudit, type AuditActor } from "../audit/record-audit";
import { InvalidInputError, NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";
import { setEndpointSecret } from "./set-endpoint-secret";

/** 144 bits from the CSPRNG: the URL itself is unguessable. */
export function newEndpointId(): string {
  return `ep_${randomBytes(18).toString("base64url")}`;
}

/**
 * What a new endpoint accepts unless told otherwise: invoice.paid, firing the catalogue's trigger
 * name (successfulPayment), the safest first trigger (a paid invoice names its customer and email).
 */
export const defaultEnabledEvents = [
  { eventType: "invoice.paid", triggerName: stripeEventCatalogue["invoice.paid"].suggestedTrigger },
] as const;

export type CreateEndpointOptions = {
  workspaceId: string;
  /** Seals the signing secret. */
  box: SecretBox;
  name: string;
  /** The Stripe signing secret, when already known. */
  secret?: string;
  /** Event types to accept, each with an optional trigger name; by default `defaultEnabledEvents`. */
  enable?: ReadonlyArray<{ eventType: string; triggerName?: string | null }>;
  onCustomerDeleted?: "delete" | "unsubscribe";
  syncNames?: boolean;
  /** Who creates it, for the audit log. */
  actor?: AuditActor;
};

export async function createEndpoint(tx: WorkspaceTx, options: CreateEndpointOptions) {
  const name = options.name.trim();
  if (!name) throw new InvalidInputError("Give the endpoint a name.", "name");
  if (name.length > 100) throw new InvalidInputError("Keep the endpoint name to 100 characters or fewer.", "name");
  const enabled = new Map<string, string | null>();
  for (const { eventType, triggerName } of options.enable ?? defaultEnabledEvents) {
    if (!isSupportedEventType(eventType) && !subscriptionChangeSettingTypes.includes(eventType)) {
      throw new InvalidInputError(`${eventType} is not a Stripe event Hookloop handles.`, "enable");
    }
    if (triggerName) {
      const parsed = triggerNameSchema.safeParse(triggerName);
      if (!parsed.success) throw new InvalidInputError(parsed.error.issues[0]!.message, "enable");
      enabled.set(eventType, parsed.data);
    } else {
      enabled.set(eventType, null);
    }
  }
  if (options.secret !== undefined) {
    const secret = signingSecretSchema.safeParse(options.secret);
    if (!secret.success) throw new InvalidInputError(secret.error.issues[0]!.message, "secret");
  }
  const workspace = await tx.workspace.findUnique({ where: { id: options.workspaceId }, select: { id: true } });
  if (!workspace) throw new NotFoundError("workspace");

  const id = newEndpointId();
  const endpoint = await tx.endpoint.create({
    data: {
      id,
      workspaceId: options.workspaceId,
      name,
      onCustomerDeleted: options.onCustomerDeleted ?? "unsubscribe",
      syncNames: options.syncNames ?? true,
      events: {
        create: [
          ...supportedEventTypes.map((eventType) => ({
            workspaceId: options.workspaceId,
            eventType,
            enabled: enabled.has(eventType),
            triggerName: enabled.has(eventType)
              ? (enabled.get(eventType) ?? null)
              : stripeEventCatalogue[eventType].suggestedTrigger,
          })),
          // Subscription changes (`subscription:active`…) have rows only once asked for.
          ...subscriptionChangeSettingTypes
            .filter((eventType) => enabled.has(eventType))
            .map((eventType) => ({
              workspaceId: options.workspaceId,
              eventType,
              enabled: true,
              triggerName: enabled.get(eventType)!,
            })),
        ],
      },
    },
    select: { id: true, name: true },
  });
  if (options.secret !== undefined) {
    await setEndpointSecret(tx, {
      box: options.box,
      workspaceId: options.workspaceId,
      endpointId: id,
      secret: options.secret,
      audited: false,
    });
  }
  await recordAudit(tx, {
    workspaceId: options.workspaceId,
    actor: options.actor,
    action: "endpoint.created",
    target: { type: "endpoint", id, label: name },
    details: { enabledEvents: [...enabled.keys()], secretSet: options.secret !== undefined },
  });
  return endpoint;
}
