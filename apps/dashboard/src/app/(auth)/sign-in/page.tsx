import { AuthForm } from "../auth-form";

export default function SignInPage() {
  return (
    <main className="auth">
      <h1>Sign in to Hookloop</h1>
      <p className="muted">Stripe events in, marketing contacts out.</p>
      <AuthForm mode="sign-in" />
    </main>
  );
}
