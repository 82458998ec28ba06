"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";

/** Sign-in and sign-up talk to better-auth's own endpoints, where its rate limits apply. */
export function AuthForm({ mode }: { mode: "sign-in" | "sign-up" }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    setPending(true);
    setError(null);
    const result =
      mode === "sign-up"
        ? await authClient.signUp.email({ name: String(form.get("name") ?? "").trim(), email, password })
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
    <form onSubmit={submit} className="panel" aria-describedby={error ? "auth-error" : undefined}>
      {mode === "sign-up" && (
        <div className="field">
          <label htmlFor="name">Your name</label>
          <input id="name" name="name" type="text" autoComplete="name" required maxLength={100} />
        </div>
      )}
      <div className="field">
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="email" required />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete={mode === "sign-up" ? "new-password" : "current-password"}
          required
          minLength={mode === "sign-up" ? 10 : undefined}
        />
        {mode === "sign-up" && <p className="muted">At least 10 characters.</p>}
      </div>
      {error && (
        <p id="auth-error" role="alert" className="error">
          {error}
        </p>
      )}
      <div className="spread">
        <button type="submit" disabled={pending}>
          {pending ? "One moment…" : mode === "sign-up" ? "Create account" : "Sign in"}
        </button>
        {mode === "sign-up" ? <Link href="/sign-in">I have an account</Link> : <Link href="/sign-up">Create an account</Link>}
      </div>
    </form>
  );
}
