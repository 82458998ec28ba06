// The one error shape of the API: { "error": { "type", "message", "fields"? } }, for every status.
import { z } from "zod";

export const errorTypes = [
  "invalid_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "invalid_input",
  "idempotency_key_reused",
  "erased",
  "rate_limited",
  "payload_too_large",
  "unavailable",
] as const;
export type ErrorType = (typeof errorTypes)[number];

export const errorBodySchema = z
  .object({
    error: z.object({
      type: z.enum(errorTypes),
      /** Written for the developer reading it; never a stack trace or a database's text. */
      message: z.string(),
      /** For invalid_input: each field refused, as `query.updatedSince` or `body.email`, and why. */
      fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: "Error" });
export type ErrorBody = z.output<typeof errorBodySchema>;

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly statusCode: number,
    readonly type: ErrorType,
    message: string,
    readonly fields?: Array<{ path: string; message: string }>,
  ) {
    super(message);
  }

  toBody(): ErrorBody {
    return { error: { type: this.type, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
  }
}

export const notFound = (what: string) => new ApiError(404, "not_found", `No ${what} with that id in this workspace.`);

export const erased = () =>
  new ApiError(
    409,
    "erased",
    "This email was erased at the person's request (GDPR art. 17); Hookloop keeps it suppressed and does not add it again.",
  );
