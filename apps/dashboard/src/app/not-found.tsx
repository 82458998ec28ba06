import Link from "next/link";

export default function NotFound() {
  return (
    <main className="auth">
      <h1>Not found</h1>
      <p className="muted">There is nothing here, or it belongs to another workspace.</p>
      <Link href="/endpoints">Back to your endpoints</Link>
    </main>
  );
}
