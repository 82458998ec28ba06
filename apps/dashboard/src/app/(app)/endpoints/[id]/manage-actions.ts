"use server";
// The endpoint page's own actions: renaming and deleting the endpoint (owners and admins, like
// every other endpoint change) and replaying at once what the deliveries filter selects (anyone
// who may replay one delivery).
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { deleteEndpoint, renameEndpoint, replayDeliveries } from "@hookloop/core";
import { ownersAndAdmins, recordId, workspaceAction } from "@/server/action";
import { userActor } from "@/server/audit-actor";
import { services } from "@/server/services";
import { hrefWith } from "@/components/list-query";
import { deliveryFilterOf, deliveryQuery, filterValues } from "./delivery-query";

const endpointId = recordId("endpoint", z.string().regex(/^ep_[A-Za-z0-9_-]{16,64}$/));

export const renameEndpointAction = workspaceAction.form(
  {
    roles: ownersAndAdmins("rename endpoints"),
    schema: z.object({
      endpointId,
      name: z
        .string({ error: "Give the endpoint a name." })
        .trim()
        .min(1, "Give the endpoint a name.")
        .max(100, "Keep the name to 100 characters or fewer."),
    }),
  },
  async ({ endpointId, name }, { workspace, inWorkspace, user }) => {
    const renamed = await inWorkspace((tx) =>
      renameEndpoint(tx, { workspaceId: workspace.id, endpointId, name, actor: userActor(user) }),
    );
    revalidatePath("/endpoints", "layout");
    return { ok: true, message: `Renamed to ${renamed.name}.` };
  },
);

export const deleteEndpointAction = workspaceAction.form(
  { roles: ownersAndAdmins("delete endpoints"), schema: z.object({ endpointId }) },
  async ({ endpointId }, { workspace, inWorkspace, user }) => {
    await inWorkspace((tx) => deleteEndpoint(tx, { workspaceId: workspace.id, endpointId, actor: userActor(user) }));
    revalidatePath("/", "layout");
    redirect("/endpoints");
  },
);

/** Batches of 200, each its own transaction, until the selection is all queued. */
export const bulkReplayAction = workspaceAction.post(
  {
    schema: deliveryQuery.extend({ endpointId, status: z.enum(["failed", "ignored"]) }),
  },
  async (query, { workspace, inWorkspace }) => {
    const filter = deliveryFilterOf(query, workspace.id, query.endpointId);
    const replayedAt = new Date();
    let queued: number;
    do {
      queued = await inWorkspace((tx) => replayDeliveries(tx, { filter, queue: services().deliveries, replayedAt }));
    } while (queued > 0);
    revalidatePath("/", "layout");
    redirect(
      hrefWith(`/endpoints/${query.endpointId}`, { ...filterValues(query), replay: replayedAt.toISOString() }) + "#deliveries",
    );
  },
);
