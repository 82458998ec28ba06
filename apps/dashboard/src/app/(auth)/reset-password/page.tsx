import Link from "next/link";
import { ResetPasswordForm } from "../auth-form";

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string; error?: string }> }) {
  const { token, error } = await searchParams;
  return (
    <main className="auth">
      <h1>Choose a new password</h1>
      {token && !error ? (
        <ResetPasswordForm token={token} />
      ) : (
        <div className="panel">
          <p className="error" role="alert">
            This link has expired or was already used.
          </p>
          <Link href="/forgot-password">Ask for a new one</Link>
        </div>
      )}
    </main>
  );
}
