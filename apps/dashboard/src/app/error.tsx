"use client";

export default function ErrorPage({ reset }: { reset: () => void }) {
  return (
    <main className="auth">
      <h1>Something went wrong</h1>
      <p className="muted">Hookloop could not show this page just now. Nothing was lost; try again.</p>
      <button onClick={reset}>Try again</button>
    </main>
  );
}
