import { randomBytes } from "node:crypto";
import type { Db } from "@hookloop/db/client";
import { triggerFiredMessage, type DestinationUrlRules } from "@hookloop/domain";
import type { SecretBox } from "@hookloop/secrets";
import { NotFoundError } from "../errors";
import { withWorkspace } from "../workspace/with-workspace";
import { activeDestinationSecrets } from "./destination-secrets";
import { sendMessage, type SendAttempt } from "./send-message";

export type SendTestMessageOptions = DestinationUrlRules & {
  workspaceId: string;
  destinationId: string;
  /** Opens the destination's signing secrets. */
  box: SecretBox;
  timeoutMs?: number;
};

/**
 * Sends the destination a `trigger.fired` message about a made-up contact, signed and sent as a real
 * one is (the current and any rotating-out secret, the same address checks, 15 s), and returns the
 * attempt. It is not recorded: the message log holds only what Hookloop owes the destination, and
 * a test is never retried. Takes the client, not a WorkspaceTx: no connection is held across the send.
 */
export async function sendTestMessage(
  db: Db,
  options: SendTestMessageOptions,
): Promise<{ messageId: string; body: string; attempt: SendAttempt }> {
  const { workspaceId, destinationId } = options;
  const destination = await withWorkspace(db, workspaceId, (tx) =>
    tx.destination.findFirst({ where: { id: destinationId, workspaceId } }),
  );
  if (!destination) throw new NotFoundError("destination");

  const now = new Date();
  const stamp = randomBytes(6).toString("hex");
  const message = triggerFiredMessage({
    workspaceId,
    occurredAt: now,
    trigger: {
      name: destination.allTriggers ? "testMessage" : (destination.triggerNames[0] ?? "testMessage"),
      properties: { test: true, amount: 4200, currency: "usd" },
    },
    stripeEvent: { id: `evt_test_${stamp}`, type: "invoice.paid" },
    contact: {
      id: `test_${stamp}`,
      email: `test+${stamp}@example.com`,
      firstName: "Test",
      lastName: "Contact",
      subscribed: true,
      source: "stripe",
      stripeCustomerId: `cus_test_${stamp}`,
      createdAt: now,
      updatedAt: now,
    },
  });
  const body = JSON.stringify(message);
  const attempt = await sendMessage({
    url: destination.url,
    messageId: message.id,
    body,
    secrets: activeDestinationSecrets(destination, options.box, now),
    allowPrivateTargets: options.allowPrivateTargets,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  return { messageId: message.id, body, attempt };
}
