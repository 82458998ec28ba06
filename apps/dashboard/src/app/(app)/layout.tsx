import type { ReactNode } from "react";
import { requireWorkspace } from "@/server/session";
import { signOut, switchWorkspace } from "../workspace-actions";
import { NavLink } from "./nav-link";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const { user, workspace, memberships } = await requireWorkspace();
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Hookloop</div>
        <form action={switchWorkspace} aria-label="Switch workspace">
          <label htmlFor="workspace-switcher">Workspace</label>
          <div className="row">
            <select id="workspace-switcher" name="workspaceId" defaultValue={workspace.id} className="grow">
              {memberships.map((membership) => (
                <option key={membership.workspace.id} value={membership.workspace.id}>
                  {membership.workspace.name}
                </option>
              ))}
            </select>
            <button type="submit" className="secondary">
              Go
            </button>
          </div>
        </form>
        <div>
          <NavLink href="/endpoints">Endpoints</NavLink>
          <NavLink href="/audience">Audience</NavLink>
          <NavLink href="/events">Events</NavLink>
          <NavLink href="/destinations">Destinations</NavLink>
          <NavLink href="/settings">Settings</NavLink>
        </div>
        <form action={signOut} className="account">
          <p>{user.email}</p>
          <button type="submit" className="secondary">
            Sign out
          </button>
        </form>
      </nav>
      <main className="main">{children}</main>
    </div>
  );
}
