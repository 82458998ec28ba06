"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import {
  InvalidInputError,
  SecretInGraceError,
  createDestination,
  queueMessages,
  retryFailedMessages,
  retryMessage,
  rotateDestinationSecret,
  sendTestMessage,
  setDestinationPaused,
  updateDestination,
} from "@hookloop/core";
import { returnPath } from "@hookloop/domain";
import type { FormAction, FormState } from "@/components/form-state";
import type { RotationState } from "@/components/rotation-confirmation";
import { timestamp } from "@/components/tables";
import { env } from "@/env";
import { confirmedDrop, ownersAndAdmins, recordId, workspaceAction } from "@/server/action";
import { userActor } from "@/server/audit-actor";
import { services } from "@/server/services";

const destinationId = recordId("destination", z.string().regex(/^dst_[A-Za-z0-9_-]{16,64}$/));
const messageId = recordId("message", z.uuid());

const settingsSchema = z.object({
  name: z.string(),
  url: z.string(),
  triggers: z.union([z.literal("all"), z.array(z.string())]),
  contactChanges: z.boolean(),
});

/**
 * The settings form's fields: "all" trigger events, or the names ticked (`trigger`) and any typed
 * in `otherTriggers`, comma-separated; core checks them and says what is wrong in plain words.
 */
function settingsInput(form: FormData) {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const chosen = form.getAll("trigger").filter((value) => typeof value === "string");
  const typed = text("otherTriggers")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  return {
    destinationId: form.get("destinationId"),
    name: text("name"),
    url: text("url"),
    triggers: form.get("triggerMode") === "chosen" ? [...chosen, ...typed] : "all",
    contactChanges: form.get("contactChanges") === "on",
    enabled: form.get("enabled") === "on",
  };
}

const rules = () => ({ allowPrivateTargets: env().DESTINATIONS_ALLOW_PRIVATE_TARGETS });

// Owners and admins change destinations; members may send test messages and retry messages, which
// change no configuration (a retry sends what is already in the log, to the URL already set).

export const createDestinationAction = workspaceAction.form(
  { roles: ownersAndAdmins("create destinations"), schema: settingsSchema, input: settingsInput },
  async (settings, { workspace, inWorkspace, user }) => {
    const created = await inWorkspace((tx) =>
      createDestination(tx, { box: services().box, workspaceId: workspace.id, ...settings, ...rules(), actor: userActor(user) }),
    );
    revalidatePath("/destinations");
    redirect(`/destinations/${created.id}`);
  },
);

export const updateDestinationAction = workspaceAction.form(
  {
    roles: ownersAndAdmins("change destinations"),
    schema: settingsSchema.extend({ destinationId, enabled: z.boolean() }),
    input: settingsInput,
  },
  async (settings, { workspace, inWorkspace, user }) => {
    const due = await inWorkspace((tx) =>
      updateDestination(tx, { workspaceId: workspace.id, ...settings, ...rules(), actor: userActor(user) }),
    );
    await queueMessages(services().messages, { workspaceId: workspace.id, messageIds: due });
    revalidatePath(`/destinations/${settings.destinationId}`);
    return {
      ok: true,
      message: settings.enabled
        ? "Saved. New messages follow these settings."
        : "Saved. The destination is disabled: it gets no new messages and those waiting stay until it is enabled.",
    };
  },
);

export const setDestinationPausedAction = workspaceAction.post(
  {
    roles: ownersAndAdmins("pause or resume destinations"),
    schema: z.object({ destinationId, paused: z.enum(["true", "false"]).transform((value) => value === "true") }),
  },
  async ({ destinationId, paused }, { workspace, inWorkspace, user }) => {
    const due = await inWorkspace((tx) =>
      setDestinationPaused(tx, {
        workspaceId: workspace.id,
        destinationId,
        paused,
        reason: `Paused by ${user.email} at ${timestamp(new Date())}.`,
        actor: userActor(user),
      }),
    );
    await queueMessages(services().messages, { workspaceId: workspace.id, messageIds: due });
    revalidatePath("/destinations", "layout");
  },
);

export const rotateDestinationSecretAction: FormAction<RotationState> = workspaceAction.form(
  { roles: ownersAndAdmins("rotate destinations' signing secrets"), schema: z.object({ destinationId, confirm: confirmedDrop }) },
  async ({ destinationId, confirm }, { workspace, inWorkspace, user }) => {
    let rotated;
    try {
      rotated = await inWorkspace((tx) =>
        rotateDestinationSecret(tx, {
          workspaceId: workspace.id,
          destinationId,
          box: services().box,
          dropSecretSigningUntil: confirm,
          actor: userActor(user),
        }),
      );
    } catch (error) {
      if (!(error instanceof SecretInGraceError)) throw error;
      return {
        confirm: {
          until: error.acceptedUntil.toISOString(),
          message: `The secret ending in …${error.last4}, still signing messages until ${timestamp(error.acceptedUntil)}, stops at once: a receiver that still verifies with it refuses every message from then on.`,
        },
      };
    }
    revalidatePath(`/destinations/${destinationId}`);
    const dropped = rotated.droppedSecretExpiresAt
      ? ` The secret from before the last rotation stopped signing now, instead of at ${timestamp(rotated.droppedSecretExpiresAt)}.`
      : "";
    return {
      ok: true,
      message: `Rotated. Messages carry a signature with the previous secret too until ${timestamp(rotated.previousSecretExpiresAt)}: update your receiver before then.${dropped}`,
    };
  },
);

export type TestMessageState = FormState & { attempt?: Awaited<ReturnType<typeof sendTestMessage>>["attempt"] };

export const sendTestMessageAction: FormAction<TestMessageState> = workspaceAction.form(
  { schema: z.object({ destinationId }) },
  async ({ destinationId }, { workspace }) => {
    const { db, box } = services();
    const sent = await sendTestMessage(db, { workspaceId: workspace.id, destinationId, box, ...rules() });
    return { ok: true, attempt: sent.attempt };
  },
);

export const retryMessageAction = workspaceAction.post(
  { schema: z.object({ messageId, back: z.unknown().transform(returnPath) }) },
  async ({ messageId, back }, { workspace, inWorkspace, user }) => {
    try {
      const due = await inWorkspace((tx) => retryMessage(tx, { workspaceId: workspace.id, messageId, actor: userActor(user) }));
      await queueMessages(services().messages, { workspaceId: workspace.id, messageIds: due });
    } catch (error) {
      // Delivered meanwhile (or a double click): the page it returns to shows where it stands.
      if (!(error instanceof InvalidInputError)) throw error;
    }
    revalidatePath("/destinations", "layout");
    redirect(back ?? "/destinations");
  },
);

/** A `datetime-local` value, read as UTC like every time the dashboard shows. */
const utcMinute = (field: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, `Enter the ${field} as a date and time.`)
    .transform((value) => new Date(`${value}Z`));

export const retryFailedMessagesAction = workspaceAction.form(
  { schema: z.object({ destinationId, from: utcMinute("start"), to: utcMinute("end") }) },
  async ({ destinationId, from, to }, { workspace, inWorkspace, user }) => {
    const retried = await inWorkspace((tx) =>
      retryFailedMessages(tx, { workspaceId: workspace.id, destinationId, from, to, actor: userActor(user) }),
    );
    await queueMessages(services().messages, { workspaceId: workspace.id, messageIds: retried.messageIds });
    revalidatePath(`/destinations/${destinationId}`);
    const range = `created from ${timestamp(from)} to ${timestamp(to)}`;
    return {
      ok: true,
      message:
        retried.count === 0
          ? `No failed messages ${range}.`
          : `Retrying ${retried.count} failed message${retried.count === 1 ? "" : "s"} ${range}.`,
    };
  },
);
