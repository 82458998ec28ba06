"use server";
import { revalidatePath } from "next/cache";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import {
  EndpointSettingsError,
  InvalidInputError,
  NotFoundError,
  createEndpoint,
  replayDelivery,
  sendTestEvent,
  setEndpointEnabled,
  setEndpointSecret,
  updateEndpointSettings,
} from "@hookloop/core";
import { supportedEventTypes } from "@hookloop/domain";
import { env } from "@/env";
import { services } from "@/server/services";
import { requireWorkspace } from "@/server/session";
import { fieldErrorsOf, type FormState } from "../../form-state";

const endpointName = z.object({
  name: z.string().trim().min(1, "Give the endpoint a name.").max(100, "Keep the name to 100 characters or fewer."),
});
const endpointId = z.string().regex(/^ep_[A-Za-z0-9_-]{16,64}$/);

/** Maps what an operation can refuse to what the form shows; anything else is not the user's doing. */
function refusal(error: unknown): FormState {
  if (error instanceof EndpointSettingsError) return { error: error.message, fieldErrors: error.fieldErrors };
  if (error instanceof InvalidInputError)
    return { error: error.message, ...(error.field ? { fieldErrors: { [error.field]: error.message } } : {}) };
  if (error instanceof NotFoundError) return { error: "This endpoint does not exist in your workspace." };
  throw error;
}

export async function createEndpointAction(_state: FormState, form: FormData): Promise<FormState> {
  const { workspace, inWorkspace } = await requireWorkspace();
  const parsed = endpointName.safeParse({ name: form.get("name") });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error) };
  const endpoint = await inWorkspace((tx) =>
    createEndpoint(tx, { box: services().box, workspaceId: workspace.id, name: parsed.data.name }),
  );
  redirect(`/endpoints/${endpoint.id}`);
}

export async function saveSecretAction(_state: FormState, form: FormData): Promise<FormState> {
  const { workspace, inWorkspace } = await requireWorkspace();
  const id = endpointId.safeParse(form.get("endpointId"));
  if (!id.success) return { error: "This endpoint does not exist in your workspace." };
  try {
    const saved = await inWorkspace((tx) =>
      setEndpointSecret(tx, {
        box: services().box,
        workspaceId: workspace.id,
        endpointId: id.data,
        secret: String(form.get("secret") ?? ""),
      }),
    );
    revalidatePath(`/endpoints/${id.data}`);
    return {
      ok: true,
      message: saved.previousSecretExpiresAt
        ? `Saved. The previous secret keeps working until ${saved.previousSecretExpiresAt.toUTCString()}.`
        : `Saved the signing secret ending in ${saved.secretLast4}.`,
    };
  } catch (error) {
    return refusal(error);
  }
}

const settings = z.object({
  onCustomerDeleted: z.enum(["delete", "unsubscribe"], { error: "Choose delete or unsubscribe." }),
  syncNames: z.boolean(),
});

export async function saveSettingsAction(_state: FormState, form: FormData): Promise<FormState> {
  const { workspace, inWorkspace } = await requireWorkspace();
  const id = endpointId.safeParse(form.get("endpointId"));
  if (!id.success) return { error: "This endpoint does not exist in your workspace." };
  const parsed = settings.safeParse({
    onCustomerDeleted: form.get("onCustomerDeleted"),
    syncNames: form.get("syncNames") === "on",
  });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error) };
  const events = supportedEventTypes.map((eventType) => ({
    eventType,
    enabled: form.get(`enabled:${eventType}`) === "on",
    triggerName: String(form.get(`trigger:${eventType}`) ?? ""),
  }));
  try {
    await inWorkspace((tx) =>
      updateEndpointSettings(tx, { workspaceId: workspace.id, endpointId: id.data, events, ...parsed.data }),
    );
  } catch (error) {
    return refusal(error);
  }
  revalidatePath(`/endpoints/${id.data}`);
  return { ok: true, message: "Saved. New events follow these settings." };
}

export type TestEventState = FormState & { result?: Awaited<ReturnType<typeof sendTestEvent>> };

export async function sendTestEventAction(_state: TestEventState, form: FormData): Promise<TestEventState> {
  const { workspace } = await requireWorkspace();
  const id = endpointId.safeParse(form.get("endpointId"));
  const eventType = z.enum(supportedEventTypes as [string, ...string[]]).safeParse(form.get("eventType"));
  if (!id.success) return { error: "This endpoint does not exist in your workspace." };
  if (!eventType.success) return { fieldErrors: { eventType: "Choose one of the supported Stripe events." } };
  try {
    const result = await sendTestEvent(services().db, {
      box: services().box,
      workspaceId: workspace.id,
      endpointId: id.data,
      eventType: eventType.data,
      ingestUrl: env().INGEST_PUBLIC_URL,
    });
    revalidatePath(`/endpoints/${id.data}`);
    return { ok: true, result };
  } catch (error) {
    if (error instanceof TypeError)
      return { error: `Hookloop's ingest did not answer at ${env().INGEST_PUBLIC_URL}. Is it running?` };
    return refusal(error);
  }
}

export async function replayDeliveryAction(form: FormData) {
  const { workspace, inWorkspace } = await requireWorkspace();
  const deliveryId = z.uuid().safeParse(form.get("deliveryId"));
  const back = z.string().startsWith("/").safeParse(form.get("back"));
  if (!deliveryId.success) notFound();
  try {
    await inWorkspace((tx) =>
      replayDelivery(tx, { queue: services().deliveries, workspaceId: workspace.id, deliveryId: deliveryId.data }),
    );
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    // Already replayed (a double click): the page it returns to shows where the delivery stands.
    if (!(error instanceof InvalidInputError)) throw error;
  }
  revalidatePath("/", "layout");
  redirect(back.success ? back.data : `/deliveries/${deliveryId.data}`);
}

export async function setEndpointEnabledAction(form: FormData) {
  const { workspace, inWorkspace } = await requireWorkspace();
  const id = endpointId.safeParse(form.get("endpointId"));
  if (!id.success) notFound();
  const enabled = form.get("enabled") === "true";
  try {
    await inWorkspace((tx) => setEndpointEnabled(tx, { workspaceId: workspace.id, endpointId: id.data, enabled }));
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  revalidatePath("/endpoints", "layout");
}
