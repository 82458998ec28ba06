import { AuthForm } from "../auth-form";

export default function SignUpPage() {
  return (
    <main className="auth">
      <h1>Create your Hookloop account</h1>
      <p className="muted">
        Connect Stripe in a few minutes: every customer, payment and checkout keeps your audience up to date.
      </p>
      <AuthForm mode="sign-up" />
    </main>
  );
}
