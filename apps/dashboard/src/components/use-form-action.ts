"use client";
import { startTransition, useActionState, useEffect, useRef, type FormEvent } from "react";

/**
 * A server action bound to a form that keeps what the user typed. React resets a form once its
 * `action` has run, which would throw away the very input a validation message is about (and a
 * toggled checkbox with it); submitting through `onSubmit` keeps the fields as they are. Without
 * JavaScript the plain `action` still posts the form. `resetOnSuccess` empties the form once the
 * action reports `ok` (a saved secret, a sent invitation).
 */
export function useFormAction<State extends { ok?: boolean }>(
  action: (state: State, form: FormData) => Promise<State>,
  { resetOnSuccess = false } = {},
) {
  const [state, formAction, pending] = useActionState<State, FormData>(action, {} as Awaited<State>);
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (resetOnSuccess && state.ok) ref.current?.reset();
  }, [state, resetOnSuccess]);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => formAction(data));
  };
  return { state, pending, formProps: { ref, action: formAction, onSubmit } };
}
