"use client";
// A sidebar link that marks the current page and shows that the next one is loading. Pages carry
// no loading.tsx: a Suspense boundary above them would stream a 200 before a page could answer 404
// for another workspace's id.
import Link, { useLinkStatus } from "next/link";
import { usePathname } from "next/navigation";

function Pending() {
  const { pending } = useLinkStatus();
  return pending ? (
    <span className="link-pending" role="status" aria-label="Loading">
      …
    </span>
  ) : null;
}

export function NavLink({ href, children }: { href: string; children: string }) {
  const pathname = usePathname();
  const current = pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link href={href} aria-current={current ? "page" : undefined}>
      {children}
      <Pending />
    </Link>
  );
}
