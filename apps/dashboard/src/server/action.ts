import "server-only";
// Every dashboard mutation is one of these: who may run it is checked first (a session, a
// membership of the active workspace, a role), then the posted form is parsed with zod, then the
// action runs. What a user can correct comes back to the form as a FormState; anything else is
// not the user's doing and is thrown, to the error page.
import { notFound } from "next/navigation";
import { z } from "zod";
import { EndpointSettingsError, InvalidInputError, NotFoundError } from "@hookloop/core";
import { managerRoles, type WorkspaceRole } from "@hookloop/domain";
import type { FormAction, FormState } from "@/components/form-state";
import { requireUser, requireWorkspace } from "./session";

export type UserContext = { user: Awaited<ReturnType<typeof requireUser>>["user"] };
export type WorkspaceContext = Awaited<ReturnType<typeof requireWorkspace>>;
export type Role = WorkspaceRole;

/**
 * The roles that change a workspace's configuration (endpoints, secrets, destinations, API keys,
 * members), with a refusal naming them: "Only the workspace's owners and admins can change endpoints."
 */
export const ownersAndAdmins = (change: string) => ({
  allow: managerRoles,
  refusal: `Only the workspace's owners and admins can ${change}.`,
});

type ActionDefinition<Schema extends z.ZodType> = {
  schema: Schema;
  /** What `schema` parses; by default the form's fields by name. */
  input?: (form: FormData) => unknown;
};

type WorkspaceActionDefinition<Schema extends z.ZodType> = ActionDefinition<Schema> & {
  /** The roles allowed to run it (every member when absent), and what anyone else is told. */
  roles?: { allow: readonly Role[]; refusal: string };
};

/**
 * The id of a record a form names in a hidden field. One that cannot name a row is simply not
 * found, like one that names another workspace's: a 404, or "This endpoint does not exist…".
 */
export function recordId<Id extends z.ZodType<string>>(entity: string, schema: Id) {
  return z.unknown().transform((value, context): z.output<Id> => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    context.issues.push({ code: "custom", input: value, message: `${entity} not found`, params: { notFound: entity } });
    return z.NEVER;
  });
}

/**
 * The `confirm` a rotation's form re-posts once the user agreed to drop a secret still in its
 * grace: when that secret would have stopped (RotationState's `confirm.until`). Absent, or not a
 * time, is no confirmation.
 */
export const confirmedDrop = z.iso
  .datetime()
  .transform((value) => new Date(value))
  .optional()
  .catch(undefined);

/** The entity a failed parse could not find, when an id was what failed. */
function missingRecord(error: z.ZodError): NotFoundError | undefined {
  for (const issue of error.issues) {
    if (issue.code === "custom" && typeof issue.params?.notFound === "string") return new NotFoundError(issue.params.notFound);
  }
  return undefined;
}

function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return errors;
}

/** What an operation can refuse, as the form shows it; anything else is rethrown. */
function refusal(error: unknown): FormState {
  if (error instanceof NotFoundError) return { error: `This ${error.entity} does not exist in your workspace.` };
  if (error instanceof EndpointSettingsError) return { error: error.message, fieldErrors: error.fieldErrors };
  if (error instanceof InvalidInputError)
    return { error: error.message, ...(error.field ? { fieldErrors: { [error.field]: error.message } } : {}) };
  throw error;
}

const fieldsOf = (form: FormData) => Object.fromEntries(form);

/** Builds the two kinds of action for contexts made by `guard`, which redirects anyone it refuses. */
function actionsFor<Context, Definition extends ActionDefinition<z.ZodType>>(
  guard: (definition: Definition) => Promise<{ context: Context } | { refused: string }>,
) {
  return {
    /**
     * An action a form drives through `useFormAction`: refusals, bad input and what the operation
     * refuses come back as its state; `run` returns the state on success (or redirects). A form
     * whose state carries more than FormState names it: `const a: FormAction<S> = ….form(…)`.
     */
    form<Schema extends z.ZodType, State extends FormState = FormState>(
      definition: Definition & ActionDefinition<Schema>,
      run: (input: z.output<Schema>, context: Context) => Promise<NoInfer<State>>,
    ): FormAction<State> {
      return async (_state, form) => {
        const guarded = await guard(definition);
        if ("refused" in guarded) return { error: guarded.refused } as State;
        const parsed = definition.schema.safeParse((definition.input ?? fieldsOf)(form));
        if (!parsed.success) {
          const missing = missingRecord(parsed.error);
          return (missing ? refusal(missing) : { fieldErrors: fieldErrorsOf(parsed.error) }) as State;
        }
        try {
          return await run(parsed.data, guarded.context);
        } catch (error) {
          return refusal(error) as State;
        }
      };
    },

    /**
     * An action a plain `<form action>` posts, which answers with a redirect or a refreshed page:
     * input that does not parse, a record not in the workspace, or a role it refuses, is a 404.
     */
    post<Schema extends z.ZodType>(
      definition: Definition & ActionDefinition<Schema>,
      run: (input: z.output<Schema>, context: Context) => Promise<void>,
    ): (form: FormData) => Promise<void> {
      return async (form) => {
        const guarded = await guard(definition);
        if ("refused" in guarded) notFound();
        const parsed = definition.schema.safeParse((definition.input ?? fieldsOf)(form));
        if (!parsed.success) notFound();
        try {
          await run(parsed.data, guarded.context);
        } catch (error) {
          if (error instanceof NotFoundError) notFound();
          throw error;
        }
      };
    },
  };
}

/** Actions for anyone signed in, in a workspace or not yet (creating one, accepting an invitation). */
export const userAction = actionsFor<UserContext, ActionDefinition<z.ZodType>>(async () => {
  const { user } = await requireUser();
  return { context: { user } };
});

/**
 * Actions inside the signed-in user's active workspace: anyone else is sent to sign in, or to
 * onboarding; a role outside `roles.allow` is refused with `roles.refusal`.
 */
export const workspaceAction = actionsFor<WorkspaceContext, WorkspaceActionDefinition<z.ZodType>>(async (definition) => {
  const context = await requireWorkspace();
  if (definition.roles && !definition.roles.allow.includes(context.role as Role)) return { refused: definition.roles.refusal };
  return { context };
});
