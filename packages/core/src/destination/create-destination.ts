import { randomBytes } from "node:crypto";
import { auditUrl, type DestinationUrlRules } from "@hookloop/domain";
import type { SecretBox } from "@hookloop/secrets";
import { recordAudit, type AuditActor } from "../audit/record-audit";
import { NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";
import { newDestinationSecret } from "./destination-secret";
import { destinationSecretAssociatedData } from "./destination-secrets";
import { checkDestinationSettings, type DestinationSettings } from "./destination-settings";

/** 144 bits from the CSPRNG, like an endpoint's id. */
export function newDestinationId(): string {
  return `dst_${randomBytes(18).toString("base64url")}`;
}

export type CreateDestinationOptions = DestinationUrlRules &
  DestinationSettings & {
    workspaceId: string;
    /** Seals the signing secret. */
    box: SecretBox;
    /** Who creates it, for the audit log. */
    actor?: AuditActor;
  };

/**
 * Adds a destination with a new signing secret, which is returned in full this once. The URL's
 * addresses are checked now, so an obvious mistake shows at once; they are checked again at every send.
 */
export async function createDestination(tx: WorkspaceTx, options: CreateDestinationOptions) {
  const settings = await checkDestinationSettings(options, options);

  const workspace = await tx.workspace.findUnique({ where: { id: options.workspaceId }, select: { id: true } });
  if (!workspace) throw new NotFoundError("workspace");
  const id = newDestinationId();
  const secret = newDestinationSecret();
  await tx.destination.create({
    data: {
      id,
      workspaceId: options.workspaceId,
      ...settings,
      secretCiphertext: options.box.encrypt(secret, destinationSecretAssociatedData(options.workspaceId, id)),
    },
  });
  await recordAudit(tx, {
    workspaceId: options.workspaceId,
    actor: options.actor,
    action: "destination.created",
    target: { type: "destination", id, label: settings.name },
    details: {
      url: auditUrl(settings.url),
      triggers: settings.allTriggers ? "all" : settings.triggerNames,
      contactChanges: settings.contactChanges,
    },
  });
  return { id, secret };
}
