import Link from "next/link";
import { redirect } from "next/navigation";

/** Where a confirmation link lands: signed in and on to onboarding, or told why not. */
export default async function EmailConfirmedPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  if (!error) redirect("/onboarding");
  return (
    <main className="auth">
      <h1>That link did not work</h1>
      <div className="panel">
        <p className="error" role="alert">
          {error === "TOKEN_EXPIRED"
            ? "This confirmation link has expired."
            : "This confirmation link is not valid, or belongs to another account."}
        </p>
        <p>Sign in with your email and password, and we send you a fresh link.</p>
        <Link href="/sign-in">Sign in</Link>
      </div>
    </main>
  );
}
