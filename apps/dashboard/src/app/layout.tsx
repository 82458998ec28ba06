import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

// Every page is rendered per request, so the scripts Next renders carry that request's CSP nonce
// (src/proxy.ts); a page prerendered at build time would have none and its scripts would be blocked.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Hookloop", description: "Stripe events in, marketing contacts out." };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
