import { AuthForm } from "../auth-form";

/** `next` is a path inside the dashboard (an invitation, say) to go to once signed in. */
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <main className="auth">
      <h1>Sign in to Hookloop</h1>
      <p className="muted">Stripe events in, marketing contacts out.</p>
      <AuthForm mode="sign-in" next={next && /^\/invitations\/[\w-]+$/.test(next) ? next : undefined} />
    </main>
  );
}
