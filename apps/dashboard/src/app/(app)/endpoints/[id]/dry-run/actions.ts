"use server";
import { dryRunDelivery, endpointIdPattern, type DryRunResult } from "@hookloop/core";
import { z } from "zod";
import type { FormState } from "@/components/form-state";
import { recordId, workspaceAction } from "@/server/action";
import { services } from "@/server/services";

export type DryRunState = FormState & { result?: DryRunResult };

/** The same limit ingest puts on a Stripe request's body. */
const maxEventBytes = 512 * 1024;

const dryRunInput = z.object({
  endpointId: recordId("endpoint", z.string().regex(endpointIdPattern)),
  event: z
    .string()
    .trim()
    .min(1, "Paste a Stripe event.")
    .refine((text) => Buffer.byteLength(text) <= maxEventBytes, "That is more than Stripe ever sends (512 KB).")
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        context.issues.push({ code: "custom", input: text, message: `This is not JSON: ${(error as Error).message}` });
        return z.NEVER;
      }
    }),
});

/** What the pasted event would do on the endpoint now; writes nothing. Any member may run it. */
export const dryRunAction = workspaceAction.form<typeof dryRunInput, DryRunState>(
  { schema: dryRunInput },
  async ({ endpointId, event }, { workspace }) => ({
    result: await dryRunDelivery(services().db, { workspaceId: workspace.id, endpointId, event }),
  }),
);
