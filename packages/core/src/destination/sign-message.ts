import { Webhook } from "standardwebhooks";

export type SignedMessageHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

/**
 * The Standard Webhooks headers of one attempt, signed with the spec's own library. Each secret
 * adds a `v1,<base64>` signature, space-separated as the spec allows: during a rotation the
 * current and the previous secret both sign, so a receiver still holding the previous one keeps
 * verifying. The timestamp is the attempt's; the id stays the message's on every attempt.
 */
export function signMessage(message: {
  id: string;
  body: string;
  /** The current secret first, then any still rotating out. */
  secrets: readonly string[];
  timestamp: Date;
}): SignedMessageHeaders {
  if (message.secrets.length === 0) throw new Error("A message needs at least one secret to be signed with.");
  const signatures = message.secrets.map((secret) => new Webhook(secret).sign(message.id, message.timestamp, message.body));
  return {
    "webhook-id": message.id,
    "webhook-timestamp": String(Math.floor(message.timestamp.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}
