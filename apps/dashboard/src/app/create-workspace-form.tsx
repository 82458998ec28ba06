"use client";
import { NameForm } from "@/components/name-form";
import { createWorkspaceAction } from "./workspace-actions";

/** The form that creates a workspace: on onboarding, and in a workspace's settings. */
export function CreateWorkspaceForm() {
  return (
    <NameForm
      action={createWorkspaceAction}
      id="workspace-name"
      label="Workspace name"
      placeholder="Acme"
      submitLabel="Create workspace"
    />
  );
}
