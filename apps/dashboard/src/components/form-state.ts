/** What a server action tells its form: a message, or errors by field. */
export type FormState = { ok?: boolean; message?: string; error?: string; fieldErrors?: Record<string, string> };

/** A server action a form drives through `useFormAction`. */
export type FormAction<State extends FormState = FormState> = (state: State, form: FormData) => Promise<State>;
