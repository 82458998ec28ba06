import { ForgotPasswordForm } from "../auth-form";

export default function ForgotPasswordPage() {
  return (
    <main className="auth">
      <h1>Choose a new password</h1>
      <p className="muted">We email you a link to choose a new one.</p>
      <ForgotPasswordForm />
    </main>
  );
}
