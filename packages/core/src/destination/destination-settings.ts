import { destinationSubscriptionSchema, destinationUrlSchema, type DestinationUrlRules } from "@hookloop/domain";
import { InvalidInputError } from "../errors";
import { resolveDestinationTarget } from "./resolve-destination-target";

export type DestinationSettings = {
  name: string;
  url: string;
  /** Every trigger event, or only those with these names. */
  triggers: "all" | readonly string[];
  contactChanges: boolean;
};

/**
 * A destination's name, URL and subscription as a marketer enters them, checked with a message for
 * each slip (InvalidInputError names the field), and the columns they are stored as. The URL's
 * addresses are checked now, so an obvious mistake shows at once; they are checked again at every
 * send, so a host whose name does not resolve yet is let through.
 */
export async function checkDestinationSettings(settings: DestinationSettings, rules: DestinationUrlRules) {
  const name = settings.name.trim();
  if (!name) throw new InvalidInputError("Give the destination a name.", "name");
  if (name.length > 100) throw new InvalidInputError("Keep the destination name to 100 characters or fewer.", "name");
  const url = destinationUrlSchema(rules).safeParse(settings.url);
  if (!url.success) throw new InvalidInputError(url.error.issues[0]?.message ?? "Invalid URL.", "url");
  const subscription = destinationSubscriptionSchema.safeParse({
    triggers: settings.triggers === "all" ? "all" : [...settings.triggers],
    contactChanges: settings.contactChanges,
  });
  if (!subscription.success) {
    throw new InvalidInputError(subscription.error.issues[0]?.message ?? "Invalid subscription.", "triggers");
  }
  const target = await resolveDestinationTarget(url.data, rules);
  if (!target.ok && target.problem !== "dns") throw new InvalidInputError(target.message, "url");
  const { triggers, contactChanges } = subscription.data;
  return {
    name,
    url: url.data,
    allTriggers: triggers === "all",
    triggerNames: triggers === "all" ? [] : triggers,
    contactChanges,
  };
}
