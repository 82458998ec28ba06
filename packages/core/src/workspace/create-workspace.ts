import { randomBytes } from "node:crypto";
import type { DbClient } from "@hookloop/db/client";
import { InvalidInputError } from "../errors";

export type CreateWorkspaceOptions = { name: string };

function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40);
  return `${base || "workspace"}-${randomBytes(3).toString("hex")}`;
}

/** Any client, not a WorkspaceTx: the workspace does not exist yet. */
export async function createWorkspace(db: DbClient, options: CreateWorkspaceOptions) {
  const name = options.name.trim();
  if (!name) throw new InvalidInputError("Give the workspace a name.", "name");
  if (name.length > 100) throw new InvalidInputError("Keep the workspace name to 100 characters or fewer.", "name");
  return db.workspace.create({
    data: { id: `ws_${randomBytes(12).toString("base64url")}`, name, slug: slugify(name) },
    select: { id: true, name: true, slug: true },
  });
}
