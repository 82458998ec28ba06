"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ErrorMessage, Field, SubmitButton } from "@/components/form";
import { authClient } from "@/lib/auth-client";

/** Sign-in and sign-up talk to better-auth's own endpoints, where its rate limits apply. */
export function AuthForm({ mode }: { mode: "sign-in" | "sign-up" }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === "string" ? value : "";
    };
    const email = text("email").trim();
    const password = text("password");
    setPending(true);
    setError(null);
    const result =
      mode === "sign-up"
        ? await authClient.signUp.email({ name: text("name").trim(), email, password })
        : await authClient.signIn.email({ email, password });
    setPending(false);
    if (result.error) {
      setError(
        result.error.status === 429
          ? "Too many attempts. Wait a minute and try again."
          : (result.error.message ?? "That did not work; try again."),
      );
      return;
    }
    router.push(mode === "sign-up" ? "/onboarding" : "/endpoints");
    router.refresh();
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
        hint={mode === "sign-up" ? "At least 10 characters." : undefined}
      />
      <ErrorMessage id="auth-error">{error}</ErrorMessage>
      <div className="spread">
        <SubmitButton pending={pending} pendingLabel="One moment…">
          {mode === "sign-up" ? "Create account" : "Sign in"}
        </SubmitButton>
        {mode === "sign-up" ? <Link href="/sign-in">I have an account</Link> : <Link href="/sign-up">Create an account</Link>}
      </div>
    </form>
  );
}
