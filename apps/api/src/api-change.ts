import { randomUUID } from "node:crypto";
import {
  API_EVENT_PREFIX,
  applyContactChangeInWorkspace,
  type ApplyContactChangeOptions,
  type WorkspaceTx,
} from "@hookloop/core";
import { erased } from "./api-error";

export type ApiChange = Pick<ApplyContactChangeOptions, "name" | "subscribed" | "triggers" | "authoritative">;

/**
 * A change from the workspace's own app, into the contact history like a Stripe event, dated now
 * (applyContactChange) in the request's transaction, with its `api_…` event id. An erased email is
 * 409 and nothing is written.
 */
export async function applyApiChange(tx: WorkspaceTx, workspaceId: string, email: string, change: ApiChange) {
  const eventId = `${API_EVENT_PREFIX}${randomUUID()}`;
  const outcome = await applyContactChangeInWorkspace(tx, {
    workspaceId,
    eventId,
    created: new Date(),
    customerId: null,
    email,
    origin: "api",
    ...change,
  });
  if (outcome.status === "erased") throw erased();
  return { eventId, ...outcome };
}
