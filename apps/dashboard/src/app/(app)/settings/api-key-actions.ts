"use server";
// API keys, made and revoked by owners and admins. A new key crosses to the browser in this one
// answer and is never readable again: only its hash is stored.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createApiKey, revokeApiKey } from "@hookloop/core";
import type { FormAction, FormState } from "@/components/form-state";
import { ownersAndAdmins, recordId, workspaceAction } from "@/server/action";
import { userActor } from "@/server/audit-actor";

const apiKeyId = recordId("API key", z.uuid());

export type CreatedApiKeyState = FormState & { created?: { name: string; key: string; readOnly: boolean } };

export const createApiKeyAction: FormAction<CreatedApiKeyState> = workspaceAction.form(
  {
    roles: ownersAndAdmins("manage API keys"),
    schema: z.object({
      name: z.string(),
      scope: z.enum(["read-only", "read-write"], { error: "Choose read-only or read-write." }),
    }),
  },
  async ({ name, scope }, { workspace, inWorkspace, user }) => {
    const created = await inWorkspace((tx) =>
      createApiKey(tx, { workspaceId: workspace.id, name, readOnly: scope === "read-only", actor: userActor(user) }),
    );
    revalidatePath("/settings");
    return { ok: true, created: { name: created.name, key: created.key, readOnly: created.readOnly } };
  },
);

export const revokeApiKeyAction = workspaceAction.form(
  { roles: ownersAndAdmins("manage API keys"), schema: z.object({ apiKeyId }) },
  async ({ apiKeyId }, { workspace, inWorkspace, user }) => {
    await inWorkspace((tx) => revokeApiKey(tx, { workspaceId: workspace.id, apiKeyId, actor: userActor(user) }));
    // The row says "Revoked", which is how the page answers.
    revalidatePath("/settings");
    return { ok: true };
  },
);
