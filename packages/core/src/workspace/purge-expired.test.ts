import { expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { createApiKey } from "../api-key/create-api-key";
import { findIdempotentAnswer } from "../api-key/find-idempotent-answer";
import { recordIdempotentAnswer } from "../api-key/record-idempotent-answer";
import { createWorkspace } from "./create-workspace";
import { purgeExpired } from "./purge-expired";
import { withWorkspace } from "./with-workspace";

test("Idempotency-Key answers past their 24 hours are deleted in every workspace, and answers within them stay", async ({
  db,
  appDb,
}) => {
  const keep = async (name: string) => {
    const workspace = await createWorkspace(db, { name });
    await withWorkspace(appDb, workspace.id, async (tx) => {
      const apiKey = await createApiKey(tx, { workspaceId: workspace.id, name: "backend", readOnly: false });
      for (const key of ["old", "new"]) {
        await recordIdempotentAnswer(tx, {
          workspaceId: workspace.id,
          apiKeyId: apiKey.id,
          key,
          requestHash: "h",
          statusCode: 201,
          body: { ok: true },
        });
      }
    });
    await db.idempotencyKey.updateMany({
      where: { workspaceId: workspace.id, key: "old" },
      data: { createdAt: new Date(Date.now() - 25 * 60 * 60 * 1000) },
    });
    return workspace.id;
  };
  const workspaces = [await keep("Acme"), await keep("Rival")];

  expect((await purgeExpired(appDb)).idempotentAnswers).toBe(2);
  expect((await purgeExpired(appDb)).idempotentAnswers).toBe(0);
  for (const workspaceId of workspaces) {
    expect(await db.idempotencyKey.findMany({ where: { workspaceId }, select: { key: true } })).toEqual([{ key: "new" }]);
    expect(await withWorkspace(appDb, workspaceId, (tx) => findIdempotentAnswer(tx, { workspaceId, key: "new" }))).toMatchObject({
      statusCode: 201,
    });
  }
});
