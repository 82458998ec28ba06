/** What a server action tells its form: a message, or errors by field. */
export type FormState = { ok?: boolean; message?: string; error?: string; fieldErrors?: Record<string, string> };

export function fieldErrorsOf(error: {
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>;
}): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    errors[key] ??= issue.message;
  }
  return errors;
}
