"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import {
  InvalidInputError,
  SecretInGraceError,
  createEndpoint,
  replayDelivery,
  sendTestEvent,
  setEndpointEnabled,
  setEndpointSecret,
  updateEndpointSettings,
} from "@hookloop/core";
import { conditionFromForm, returnPath, subscriptionChangeSettingTypes, supportedEventTypes } from "@hookloop/domain";
import type { FormAction, FormState } from "@/components/form-state";
import type { RotationState } from "@/components/rotation-confirmation";
import { timestamp } from "@/components/tables";
import { env } from "@/env";
import { confirmedDrop, ownersAndAdmins, recordId, workspaceAction } from "@/server/action";
import { userActor } from "@/server/audit-actor";
import { services } from "@/server/services";

const endpointId = recordId("endpoint", z.string().regex(/^ep_[A-Za-z0-9_-]{16,64}$/));
const deliveryId = recordId("delivery", z.uuid());

// Owners and admins change endpoints; members may replay deliveries and send test events, which
// change no configuration (a test event is recorded and applied like one from Stripe).

export const createEndpointAction = workspaceAction.form(
  {
    roles: ownersAndAdmins("create endpoints"),
    schema: z.object({
      name: z
        .string({ error: "Give the endpoint a name." })
        .trim()
        .min(1, "Give the endpoint a name.")
        .max(100, "Keep the name to 100 characters or fewer."),
    }),
  },
  async ({ name }, { workspace, inWorkspace, user }) => {
    const endpoint = await inWorkspace((tx) =>
      createEndpoint(tx, { box: services().box, workspaceId: workspace.id, name, actor: userActor(user) }),
    );
    redirect(`/endpoints/${endpoint.id}`);
  },
);

export const saveSecretAction: FormAction<RotationState> = workspaceAction.form(
  {
    roles: ownersAndAdmins("change endpoints' signing secrets"),
    schema: z.object({ endpointId, secret: z.string().default(""), confirm: confirmedDrop }),
  },
  async ({ endpointId, secret, confirm }, { workspace, inWorkspace, user }) => {
    let saved;
    try {
      saved = await inWorkspace((tx) =>
        setEndpointSecret(tx, {
          box: services().box,
          workspaceId: workspace.id,
          endpointId,
          secret,
          dropSecretAcceptedUntil: confirm,
          actor: userActor(user),
        }),
      );
    } catch (error) {
      if (!(error instanceof SecretInGraceError)) throw error;
      return {
        confirm: {
          until: error.acceptedUntil.toISOString(),
          message: `The secret ending in …${error.last4}, still accepted until ${timestamp(error.acceptedUntil)}, stops working at once: events Stripe signs with it are refused from then on.`,
        },
      };
    }
    revalidatePath(`/endpoints/${endpointId}`);
    return {
      ok: true,
      message: saved.previousSecretExpiresAt
        ? `Saved. The previous secret keeps working until ${saved.previousSecretExpiresAt.toUTCString()}.`
        : `Saved the signing secret ending in ${saved.secretLast4}.`,
    };
  },
);

export const saveSettingsAction = workspaceAction.form(
  {
    roles: ownersAndAdmins("change endpoints"),
    schema: z.object({
      endpointId,
      onCustomerDeleted: z.enum(["delete", "unsubscribe"], { error: "Choose delete or unsubscribe." }),
      syncNames: z.boolean(),
      events: z.array(
        z.object({
          eventType: z.string(),
          enabled: z.boolean(),
          triggerName: z.string(),
          condition: z.object({ kind: z.string(), value: z.string() }),
        }),
      ),
    }),
    // One checkbox, one trigger name and one condition (a kind and its value) per supported event, named after it.
    input: (form) => ({
      endpointId: form.get("endpointId"),
      onCustomerDeleted: form.get("onCustomerDeleted"),
      syncNames: form.get("syncNames") === "on",
      events: [...supportedEventTypes, ...subscriptionChangeSettingTypes].map((eventType) => ({
        eventType,
        enabled: form.get(`enabled:${eventType}`) === "on",
        triggerName: form.get(`trigger:${eventType}`) ?? "",
        condition: { kind: form.get(`condition:${eventType}`) ?? "", value: form.get(`conditionValue:${eventType}`) ?? "" },
      })),
    }),
  },
  async ({ events: posted, ...settings }, { workspace, inWorkspace, user }) => {
    const fieldErrors: Record<string, string> = {};
    const events = posted.map(({ condition, ...event }) => {
      const read = conditionFromForm(condition.kind, condition.value);
      if (!read.ok) fieldErrors[event.eventType] = read.message;
      return { ...event, condition: read.ok ? read.condition : null };
    });
    if (Object.keys(fieldErrors).length) return { error: "Some trigger event names or conditions need fixing.", fieldErrors };
    await inWorkspace((tx) =>
      updateEndpointSettings(tx, { workspaceId: workspace.id, ...settings, events, actor: userActor(user) }),
    );
    revalidatePath(`/endpoints/${settings.endpointId}`);
    return { ok: true, message: "Saved. New events follow these settings." };
  },
);

export type TestEventState = FormState & { result?: Awaited<ReturnType<typeof sendTestEvent>> };

export const sendTestEventAction: FormAction<TestEventState> = workspaceAction.form(
  {
    schema: z.object({
      endpointId,
      eventType: z.enum(supportedEventTypes, { error: "Choose one of the supported Stripe events." }),
    }),
  },
  async ({ endpointId, eventType }, { workspace }) => {
    const { db, box } = services();
    const ingestUrl = env().INGEST_INTERNAL_URL ?? env().INGEST_PUBLIC_URL;
    try {
      const result = await sendTestEvent(db, { box, workspaceId: workspace.id, endpointId, eventType, ingestUrl });
      revalidatePath(`/endpoints/${endpointId}`);
      return { ok: true, result };
    } catch (error) {
      if (error instanceof TypeError) return { error: `Hookloop's ingest did not answer at ${ingestUrl}. Is it running?` };
      throw error;
    }
  },
);

export const replayDeliveryAction = workspaceAction.post(
  { schema: z.object({ deliveryId, back: z.unknown().transform(returnPath) }) },
  async ({ deliveryId, back }, { workspace, inWorkspace }) => {
    try {
      await inWorkspace((tx) => replayDelivery(tx, { queue: services().deliveries, workspaceId: workspace.id, deliveryId }));
    } catch (error) {
      // Already replayed (a double click): the page it returns to shows where the delivery stands.
      if (!(error instanceof InvalidInputError)) throw error;
    }
    revalidatePath("/", "layout");
    redirect(back ?? `/deliveries/${deliveryId}`);
  },
);

export const setEndpointEnabledAction = workspaceAction.post(
  {
    roles: ownersAndAdmins("pause or resume endpoints"),
    schema: z.object({
      endpointId,
      enabled: z
        .string()
        .optional()
        .transform((value) => value === "true"),
    }),
  },
  async ({ endpointId, enabled }, { workspace, inWorkspace, user }) => {
    await inWorkspace((tx) => setEndpointEnabled(tx, { workspaceId: workspace.id, endpointId, enabled, actor: userActor(user) }));
    revalidatePath("/endpoints", "layout");
  },
);
