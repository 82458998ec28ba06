import { randomBytes } from "node:crypto";
import { destinationSubscriptionSchema, destinationUrlSchema, type DestinationUrlRules } from "@hookloop/domain";
import type { SecretBox } from "@hookloop/secrets";
import { InvalidInputError, NotFoundError } from "../errors";
import type { WorkspaceTx } from "../workspace/with-workspace";
import { newDestinationSecret } from "./destination-secret";
import { destinationSecretAssociatedData } from "./destination-secrets";
import { resolveDestinationTarget } from "./resolve-destination-target";

/** 144 bits from the CSPRNG, like an endpoint's id. */
export function newDestinationId(): string {
  return `dst_${randomBytes(18).toString("base64url")}`;
}

export type CreateDestinationOptions = DestinationUrlRules & {
  workspaceId: string;
  /** Seals the signing secret. */
  box: SecretBox;
  name: string;
  url: string;
  /** Every trigger event, or only those with these names. */
  triggers: "all" | readonly string[];
  contactChanges: boolean;
};

/**
 * Adds a destination with a new signing secret, which is returned in full this once. The URL's
 * addresses are checked now, so an obvious mistake shows at once; they are checked again at every send.
 */
export async function createDestination(tx: WorkspaceTx, options: CreateDestinationOptions) {
  const name = options.name.trim();
  if (!name) throw new InvalidInputError("Give the destination a name.", "name");
  if (name.length > 100) throw new InvalidInputError("Keep the destination name to 100 characters or fewer.", "name");
  const url = destinationUrlSchema(options).safeParse(options.url);
  if (!url.success) throw new InvalidInputError(url.error.issues[0]?.message ?? "Invalid URL.", "url");
  const subscription = destinationSubscriptionSchema.safeParse({
    triggers: options.triggers === "all" ? "all" : [...options.triggers],
    contactChanges: options.contactChanges,
  });
  if (!subscription.success) {
    throw new InvalidInputError(subscription.error.issues[0]?.message ?? "Invalid subscription.", "triggers");
  }
  const target = await resolveDestinationTarget(url.data, options);
  if (!target.ok && target.problem !== "dns") throw new InvalidInputError(target.message, "url");

  const workspace = await tx.workspace.findUnique({ where: { id: options.workspaceId }, select: { id: true } });
  if (!workspace) throw new NotFoundError("workspace");
  const id = newDestinationId();
  const secret = newDestinationSecret();
  const { triggers, contactChanges } = subscription.data;
  await tx.destination.create({
    data: {
      id,
      workspaceId: options.workspaceId,
      name,
      url: url.data,
      secretCiphertext: options.box.encrypt(secret, destinationSecretAssociatedData(options.workspaceId, id)),
      allTriggers: triggers === "all",
      triggerNames: triggers === "all" ? [] : triggers,
      contactChanges,
    },
  });
  return { id, secret };
}
