"use server";
// The Stripe connection panel's actions: connect (test the key, then store it), remove the key,
// start an import of the existing customers, cancel it. Owners and admins only: the key reads the
// account, and an import writes the whole audience.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { cancelImport, connectStripe, removeStripeConnection, startImport } from "@hookloop/core";
import type { FormAction, FormState } from "@/components/form-state";
import { env } from "@/env";
import { ownersAndAdmins, recordId, workspaceAction } from "@/server/action";
import { userActor } from "@/server/audit-actor";
import { services } from "@/server/services";

const endpointId = recordId("endpoint", z.string().regex(/^ep_[A-Za-z0-9_-]{16,64}$/));
const roles = ownersAndAdmins("connect Stripe or import customers");

export type ConnectState = FormState & { warning?: string };

export const connectStripeAction: FormAction<ConnectState> = workspaceAction.form(
  { roles, schema: z.object({ endpointId, key: z.string().default("") }) },
  async ({ endpointId, key }, { workspace, user }): Promise<ConnectState> => {
    const settings = env();
    const connected = await connectStripe(services().db, {
      workspaceId: workspace.id,
      endpointId,
      box: services().box,
      key,
      api: { apiBase: settings.STRIPE_API_BASE, requestsPerSecond: settings.STRIPE_REQUESTS_PER_SECOND },
      actor: userActor(user),
    });
    revalidatePath(`/endpoints/${endpointId}`);
    return {
      ok: true,
      message: `Connected to ${connected.accountName ?? connected.accountId} (${connected.accountId}) in ${connected.mode} mode.`,
      ...(connected.warning ? { warning: connected.warning } : {}),
    };
  },
);

export const removeStripeConnectionAction = workspaceAction.post(
  { roles, schema: z.object({ endpointId }) },
  async ({ endpointId }, { workspace, inWorkspace, user }) => {
    await inWorkspace((tx) => removeStripeConnection(tx, { workspaceId: workspace.id, endpointId, actor: userActor(user) }));
    revalidatePath(`/endpoints/${endpointId}`);
  },
);

export const startImportAction: FormAction = workspaceAction.form(
  { roles, schema: z.object({ endpointId }) },
  async ({ endpointId }, { workspace, inWorkspace }) => {
    const run = await inWorkspace((tx) => startImport(tx, { workspaceId: workspace.id, endpointId }));
    // Committed already: should Redis refuse the job, the worker's relay queues the run from its outbox row.
    await services()
      .imports.add(run.id, { importRunId: run.id, workspaceId: workspace.id })
      .catch((error: unknown) => console.warn("[hookloop] could not queue the import; the worker's relay will", error));
    revalidatePath(`/endpoints/${endpointId}`);
    return { ok: true, message: "Import started." };
  },
);

export const cancelImportAction = workspaceAction.post(
  { roles, schema: z.object({ endpointId }) },
  async ({ endpointId }, { workspace, inWorkspace }) => {
    await inWorkspace((tx) => cancelImport(tx, { workspaceId: workspace.id, endpointId }));
    revalidatePath(`/endpoints/${endpointId}`);
  },
);
