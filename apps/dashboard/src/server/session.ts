import "server-only";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { NotFoundError, listMemberships, withWorkspace, type WorkspaceTx } from "@hookloop/core";
import { auth } from "./auth";
import { services } from "./services";

export async function currentSession() {
  return auth().api.getSession({ headers: await headers() });
}

/** The signed-in user; sends anyone else to sign in. */
export async function requireUser() {
  const session = await currentSession();
  if (!session) redirect("/sign-in");
  return session;
}

/**
 * The signed-in user and the workspace they are working in: the session's active one if they are
 * a member of it, else their first. Everything a page shows is read through `inWorkspace`.
 */
export async function requireWorkspace() {
  const session = await requireUser();
  const memberships = await listMemberships(services().db, { userId: session.user.id });
  if (!memberships.length) redirect("/onboarding");
  const activeId = (session.session as { activeOrganizationId?: string | null }).activeOrganizationId;
  const active = memberships.find((membership) => membership.workspace.id === activeId) ?? memberships[0]!;
  const workspaceId = active.workspace.id;
  return {
    user: session.user,
    workspace: active.workspace,
    role: active.role,
    memberships,
    /** Runs `work` scoped to this workspace; another workspace's id reads as not found. */
    inWorkspace: async <T>(work: (tx: WorkspaceTx) => Promise<T>): Promise<T> => {
      try {
        return await withWorkspace(services().db, workspaceId, work);
      } catch (error) {
        if (error instanceof NotFoundError) notFound();
        throw error;
      }
    },
  };
}
