"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ErrorMessage, Field, SubmitButton } from "@/components/form";
import { authClient } from "@/lib/auth-client";

type AuthError = { status: number; code?: string | undefined; message?: string | undefined };

const textOf = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

/** What a person is told when better-auth refuses; a limit of its own (not ours) reads the same everywhere. */
function refusal(error: AuthError, email: string): string {
  if (error.code === "EMAIL_NOT_VERIFIED") return `Confirm your email first: we sent a new link to ${email}.`;
  if (error.status === 429 && error.code !== "ACCOUNT_LOCKED") return "Too many attempts. Wait a minute and try again.";
  return error.message ?? "That did not work; try again.";
}

/**
 * Sign-in and sign-up talk to better-auth's own endpoints, where its rate limits apply. Sign-up
 * ends at "check your inbox" whether or not the address had an account: the email says which.
 */
export function AuthForm({ mode, next }: { mode: "sign-in" | "sign-up"; next?: string | undefined }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = textOf(form, "email").trim();
    const password = textOf(form, "password");
    setPending(true);
    setError(null);
    const result =
      mode === "sign-up"
        ? await authClient.signUp.email({ name: textOf(form, "name").trim(), email, password, callbackURL: "/email-confirmed" })
        : await authClient.signIn.email({ email, password, callbackURL: "/email-confirmed" });
    setPending(false);
    if (result.error) return setError(refusal(result.error, email));
    if (mode === "sign-up") return setSentTo(email);
    router.push(next ?? "/endpoints");
    router.refresh();
  }

  if (sentTo) {
    return (
      <div className="panel" role="status">
        <h2>Check your inbox</h2>
        <p>
          We sent a link to <strong>{sentTo}</strong>. Open it to confirm the address and finish creating your account.
        </p>
        <p className="muted">If this address already has a Hookloop account, the email says so and how to sign in.</p>
      </div>
    );
  }

  return (
    <form onSubmit={(event) => void submit(event)} className="panel" aria-describedby={error ? "auth-error" : undefined}>
      {mode === "sign-up" && (
        <Field id="name" label="Your name" name="name" type="text" autoComplete="name" required maxLength={100} />
      )}
      <Field id="email" label="Email" name="email" type="email" autoComplete="email" required />
      <Field
        id="password"
        label="Password"
        name="password"
        type="password"
        autoComplete={mode === "sign-up" ? "new-password" : "current-password"}
        required
        minLength={mode === "sign-up" ? 10 : undefined}
        maxLength={128}
        hint={mode === "sign-up" ? "At least 10 characters, and not a common password." : undefined}
      />
      <ErrorMessage id="auth-error">{error}</ErrorMessage>
      <div className="spread">
        <SubmitButton pending={pending} pendingLabel="One moment…">
          {mode === "sign-up" ? "Create account" : "Sign in"}
        </SubmitButton>
        {mode === "sign-up" ? (
          <Link href="/sign-in">I have an account</Link>
        ) : (
          <span className="row">
            <Link href="/forgot-password">Forgot your password?</Link>
            <Link href="/sign-up">Create an account</Link>
          </span>
        )}
      </div>
    </form>
  );
}

/** Asks for a reset link; answers the same whether or not the address has an account. */
export function ForgotPasswordForm() {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = textOf(new FormData(event.currentTarget), "email").trim();
    setPending(true);
    setError(null);
    const result = await authClient.requestPasswordReset({ email, redirectTo: "/reset-password" });
    setPending(false);
    if (result.error) return setError(refusal(result.error, email));
    setSentTo(email);
  }

  if (sentTo) {
    return (
      <div className="panel" role="status">
        <p>
          If <strong>{sentTo}</strong> has a Hookloop account, we sent it a link to choose a new password. The link works for one
          hour.
        </p>
      </div>
    );
  }
  return (
    <form onSubmit={(event) => void submit(event)} className="panel" aria-describedby={error ? "auth-error" : undefined}>
      <Field id="email" label="Email" name="email" type="email" autoComplete="email" required />
      <ErrorMessage id="auth-error">{error}</ErrorMessage>
      <div className="spread">
        <SubmitButton pending={pending} pendingLabel="Sending…">
          Send me a link
        </SubmitButton>
        <Link href="/sign-in">Back to sign in</Link>
      </div>
    </form>
  );
}

/** Sets a new password with the token the reset link carried. */
export function ResetPasswordForm({ token }: { token: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const newPassword = textOf(new FormData(event.currentTarget), "password");
    setPending(true);
    setError(null);
    const result = await authClient.resetPassword({ newPassword, token });
    setPending(false);
    if (result.error) {
      return setError(
        result.error.code === "INVALID_TOKEN"
          ? "This link has expired or was already used. Ask for a new one."
          : refusal(result.error, ""),
      );
    }
    setDone(true);
  }

  if (done) {
    return (
      <div className="panel" role="status">
        <p>Your password is changed, and every other session of your account is signed out.</p>
        <Link href="/sign-in">Sign in</Link>
      </div>
    );
  }
  return (
    <form onSubmit={(event) => void submit(event)} className="panel" aria-describedby={error ? "auth-error" : undefined}>
      <Field
        id="password"
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        maxLength={128}
        hint="At least 10 characters, and not a common password."
      />
      <ErrorMessage id="auth-error">{error}</ErrorMessage>
      <SubmitButton pending={pending} pendingLabel="Saving…">
        Save the new password
      </SubmitButton>
    </form>
  );
}
