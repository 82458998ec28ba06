// The audit log: each audited change writes its entry in the change's own transaction, with who
// made it; no entry ever holds a secret; a workspace sees its own entries only; old ones are purged.
import { describe, expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { cliActor, type AuditActor, type AuditDetails } from "@hookloop/domain";
import { createApiKey } from "../api-key/create-api-key";
import { revokeApiKey } from "../api-key/revoke-api-key";
import { eraseContact } from "../contact/erase-contact";
import { createDestination } from "../destination/create-destination";
import { retryFailedMessages } from "../destination/retry-failed-messages";
import { rotateDestinationSecret } from "../destination/rotate-destination-secret";
import { setDestinationPaused } from "../destination/set-destination-paused";
import { updateDestination } from "../destination/update-destination";
import { createEndpoint } from "../endpoint/create-endpoint";
import { deleteEndpoint } from "../endpoint/delete-endpoint";
import { renameEndpoint } from "../endpoint/rename-endpoint";
import { setEndpointEnabled } from "../endpoint/set-endpoint-enabled";
import { setEndpointSecret } from "../endpoint/set-endpoint-secret";
import { updateEndpointSettings } from "../endpoint/update-endpoint-settings";
import { SecretInGraceError } from "../errors";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace } from "../workspace/with-workspace";
import { listAuditEntries } from "./list-audit-entries";
import { purgeExpired } from "../workspace/purge-expired";
import { SecretInAuditDetailsError, recordAudit } from "./record-audit";

const marketer: AuditActor = { kind: "user", userId: "user_1", email: "maya@shop.example" };
const stripeSecret = "whsec_" + "a".repeat(32);
const secondStripeSecret = "whsec_" + "b".repeat(32);
const settings = { url: "https://crm.example/hooks?token=tok_private", triggers: "all" as const, contactChanges: false };
const rules = { allowPrivateTargets: false };

class Rollback extends Error {}

describe("each audited change writes its entry", () => {
  test("endpoints: create, settings, pause and resume, secret set then rotated, each with the actor", async ({
    appDb,
    db,
    box,
  }) => {
    const workspace = await createWorkspace(appDb, { name: "Acme" });
    const workspaceId = workspace.id;
    const inWorkspace = <T>(work: Parameters<typeof withWorkspace<T>>[2]) => withWorkspace(appDb, workspaceId, work);
    const actor = marketer;

    const endpoint = await inWorkspace((tx) =>
      createEndpoint(tx, { box, workspaceId, name: "Stripe live", enable: [{ eventType: "invoice.paid" }], actor }),
    );
    await inWorkspace((tx) =>
      updateEndpointSettings(tx, {
        workspaceId,
        endpointId: endpoint.id,
        onCustomerDeleted: "delete",
        syncNames: true,
        events: [{ eventType: "invoice.paid", enabled: true, triggerName: "paid_invoice" }],
        actor,
      }),
    );
    await inWorkspace((tx) => setEndpointEnabled(tx, { workspaceId, endpointId: endpoint.id, enabled: false, actor }));
    await inWorkspace((tx) => setEndpointEnabled(tx, { workspaceId, endpointId: endpoint.id, enabled: true, actor }));
    await inWorkspace((tx) => setEndpointSecret(tx, { box, workspaceId, endpointId: endpoint.id, secret: stripeSecret, actor }));
    await inWorkspace((tx) =>
      setEndpointSecret(tx, { box, workspaceId, endpointId: endpoint.id, secret: secondStripeSecret, actor }),
    );

    const { rows } = await inWorkspace((tx) => listAuditEntries(tx, { workspaceId, limit: 50 }));
    expect(rows.map((row) => row.action)).toEqual([
      "endpoint.secret_rotated",
      "endpoint.secret_set",
      "endpoint.enabled",
      "endpoint.disabled",
      "endpoint.settings_changed",
      "endpoint.created",
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({
        actorKind: "user",
        actorId: "user_1",
        actorLabel: "maya@shop.example",
        targetType: "endpoint",
        targetId: endpoint.id,
        targetLabel: "Stripe live",
      });
    }
    // The mapping that moved, from what to what; the rule that changed.
    expect(rows.find((row) => row.action === "endpoint.settings_changed")!.details).toEqual({
      events: [
        { eventType: "invoice.paid", enabled: true, triggerName: "paid_invoice", was: { enabled: true, triggerName: null } },
      ],
      onCustomerDeleted: "delete",
      wasOnCustomerDeleted: "unsubscribe",
    });
    expect(rows[0]!.details).toMatchObject({ secretLast4: "bbbb" });
    // Written at the change's time, by the database's clock.
    const stored = await db.auditEntry.findMany({ where: { workspaceId } });
    expect(stored).toHaveLength(6);
  });

  test("endpoints: rename and delete, with the name before and the deliveries kept", async ({ newEndpoint }) => {
    const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
    await inWorkspace((tx) => renameEndpoint(tx, { workspaceId, endpointId, name: "Stripe EU", actor: cliActor }));
    await inWorkspace((tx) => deleteEndpoint(tx, { workspaceId, endpointId, actor: marketer }));
    const { rows } = await inWorkspace((tx) => listAuditEntries(tx, { workspaceId, limit: 10 }));
    expect(rows.map((row) => [row.action, row.actorLabel, row.targetLabel, row.details])).toEqual([
      ["endpoint.deleted", "maya@shop.example", "Stripe EU", { deliveriesKept: 0 }],
      ["endpoint.renamed", "CLI", "Stripe EU", { previousName: "Stripe live" }],
      ["endpoint.created", "Hookloop", "Stripe live", expect.anything()],
    ]);
  });

  test("destinations: create, settings, rotation, pause, resume and retries", async ({ appDb, box }) => {
    const workspace = await createWorkspace(appDb, { name: "Acme" });
    const workspaceId = workspace.id;
    const inWorkspace = <T>(work: Parameters<typeof withWorkspace<T>>[2]) => withWorkspace(appDb, workspaceId, work);
    const actor = marketer;
    const { id } = await inWorkspace((tx) =>
      createDestination(tx, { box, workspaceId, name: "CRM", ...settings, ...rules, actor }),
    );
    await inWorkspace((tx) =>
      updateDestination(tx, {
        workspaceId,
        destinationId: id,
        name: "CRM (EU)",
        ...settings,
        contactChanges: true,
        enabled: true,
        ...rules,
        actor,
      }),
    );
    await inWorkspace((tx) => rotateDestinationSecret(tx, { box, workspaceId, destinationId: id, actor }));
    await inWorkspace((tx) => setDestinationPaused(tx, { workspaceId, destinationId: id, paused: true, actor }));
    await inWorkspace((tx) => setDestinationPaused(tx, { workspaceId, destinationId: id, paused: false, actor }));
    await inWorkspace((tx) =>
      retryFailedMessages(tx, { workspaceId, destinationId: id, from: new Date(0), to: new Date(), actor }),
    );

    const { rows } = await inWorkspace((tx) => listAuditEntries(tx, { workspaceId, kind: "destination", limit: 50 }));
    expect(rows.map((row) => [row.action, row.targetLabel])).toEqual([
      ["destination.failed_messages_retried", "CRM (EU)"],
      ["destination.resumed", "CRM (EU)"],
      ["destination.paused", "CRM (EU)"],
      ["destination.secret_rotated", "CRM (EU)"],
      ["destination.settings_changed", "CRM (EU)"],
      ["destination.created", "CRM"],
    ]);
    expect(rows.find((row) => row.action === "destination.settings_changed")!.details).toEqual({
      name: { from: "CRM", to: "CRM (EU)" },
      contactChanges: { from: false, to: true },
    });
    // The URL's query (which here carries a token) is never kept.
    expect(rows.find((row) => row.action === "destination.created")!.details).toMatchObject({ url: "https://crm.example/hooks" });
    expect(rows[0]!.details).toMatchObject({ count: 0 });
  });

  test("API keys, erasures, and the CLI and API key as actors", async ({ appDb }) => {
    const workspace = await createWorkspace(appDb, { name: "Acme" });
    const workspaceId = workspace.id;
    const inWorkspace = <T>(work: Parameters<typeof withWorkspace<T>>[2]) => withWorkspace(appDb, workspaceId, work);
    const key = await inWorkspace((tx) => createApiKey(tx, { workspaceId, name: "Zapier", readOnly: false, actor: cliActor }));
    await inWorkspace((tx) =>
      eraseContact(tx, {
        workspaceId,
        email: "gone@shop.example",
        requestedBy: "ticket 42",
        actor: { kind: "api_key", apiKeyId: key.id },
      }),
    );
    await inWorkspace((tx) => revokeApiKey(tx, { workspaceId, apiKeyId: key.id, actor: marketer }));
    // Revoking it again changes nothing, and records nothing.
    await inWorkspace((tx) => revokeApiKey(tx, { workspaceId, apiKeyId: key.id, actor: marketer }));

    const { rows } = await inWorkspace((tx) => listAuditEntries(tx, { workspaceId, limit: 50 }));
    expect(rows.map((row) => [row.action, row.actorLabel, row.targetLabel])).toEqual([
      ["api_key.revoked", "maya@shop.example", "Zapier"],
      // The key is named from its row: the API only knows its id.
      ["contact.erased", "API key Zapier", null],
      ["api_key.created", "CLI", "Zapier"],
    ]);
    const erased = rows[1]!;
    expect(erased.details).toEqual({
      requestedBy: "ticket 42",
      contactDeleted: false,
      triggerEventsDeleted: 0,
      deliveriesRedacted: 0,
    });
    // The erased address is nowhere in the log.
    expect(JSON.stringify(rows)).not.toContain("gone@shop.example");
  });

  test("an operation called without an actor is recorded as Hookloop's own doing", async ({ newEndpoint }) => {
    const { workspaceId, inWorkspace } = await newEndpoint();
    const { rows } = await inWorkspace((tx) => listAuditEntries(tx, { workspaceId, limit: 5 }));
    expect(rows.map((row) => [row.action, row.actorKind, row.actorLabel])).toEqual([["endpoint.created", "system", "Hookloop"]]);
  });
});

describe("the entry and the change commit or roll back together", () => {
  test("a change whose transaction rolls back leaves no entry", async ({ newEndpoint, db }) => {
    const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
    const rollback = inWorkspace(async (tx) => {
      await setEndpointEnabled(tx, { workspaceId, endpointId, enabled: false, actor: marketer });
      await createApiKey(tx, { workspaceId, name: "CI", readOnly: true, actor: marketer });
      throw new Rollback();
    });
    await expect(rollback).rejects.toThrow(Rollback);
    const entries = await db.auditEntry.findMany({ where: { workspaceId }, select: { action: true } });
    expect(entries).toEqual([{ action: "endpoint.created" }]);
    expect((await db.endpoint.findUniqueOrThrow({ where: { id: endpointId } })).enabled).toBe(true);
  });

  test("a change the operation refuses writes no entry", async ({ newEndpoint, box, db }) => {
    const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
    await inWorkspace((tx) => setEndpointSecret(tx, { box, workspaceId, endpointId, secret: stripeSecret, actor: marketer }));
    await inWorkspace((tx) =>
      setEndpointSecret(tx, { box, workspaceId, endpointId, secret: secondStripeSecret, actor: marketer }),
    );
    // A third rotation inside the grace needs confirming: refused, nothing recorded.
    const refused = inWorkspace((tx) =>
      setEndpointSecret(tx, { box, workspaceId, endpointId, secret: "whsec_" + "c".repeat(32), actor: marketer }),
    );
    await expect(refused).rejects.toThrow(SecretInGraceError);
    const entries = await db.auditEntry.findMany({ where: { workspaceId }, orderBy: { createdAt: "asc" } });
    expect(entries.map((entry) => entry.action)).toEqual(["endpoint.created", "endpoint.secret_set", "endpoint.secret_rotated"]);
  });
});

describe("no secret is ever recorded", () => {
  test("the secrets of endpoints, destinations and API keys appear in no entry", async ({ appDb, db, box }) => {
    const workspace = await createWorkspace(appDb, { name: "Acme" });
    const workspaceId = workspace.id;
    const inWorkspace = <T>(work: Parameters<typeof withWorkspace<T>>[2]) => withWorkspace(appDb, workspaceId, work);
    const endpoint = await inWorkspace((tx) =>
      createEndpoint(tx, { box, workspaceId, name: "Stripe", secret: stripeSecret, actor: marketer }),
    );
    await inWorkspace((tx) =>
      setEndpointSecret(tx, { box, workspaceId, endpointId: endpoint.id, secret: secondStripeSecret, actor: marketer }),
    );
    const destination = await inWorkspace((tx) =>
      createDestination(tx, { box, workspaceId, name: "CRM", ...settings, ...rules, actor: marketer }),
    );
    const rotated = await inWorkspace((tx) =>
      rotateDestinationSecret(tx, { box, workspaceId, destinationId: destination.id, actor: marketer }),
    );
    const key = await inWorkspace((tx) => createApiKey(tx, { workspaceId, name: "Zapier", readOnly: true, actor: marketer }));

    const entries = await db.auditEntry.findMany({ where: { workspaceId } });
    expect(entries).toHaveLength(5);
    const everything = JSON.stringify(entries);
    for (const secret of [stripeSecret, secondStripeSecret, destination.secret, rotated.secret, key.key, "tok_private"]) {
      expect(everything).not.toContain(secret);
    }
    // Nor any part of one longer than the last four characters the pages show anyway.
    expect(everything).not.toContain(stripeSecret.slice(-12));
    expect(everything).not.toContain(key.key.slice(12));
  });

  test("recordAudit refuses details that hold a secret, and writes nothing", async ({ newEndpoint, db }) => {
    const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
    const attempts: AuditDetails[] = [{ secret: "anything" }, { note: `pasted ${stripeSecret}` }, { nested: [{ apiKey: "x" }] }];
    for (const details of attempts) {
      const attempt = inWorkspace((tx) =>
        recordAudit(tx, {
          workspaceId,
          action: "endpoint.settings_changed",
          target: { type: "endpoint", id: endpointId },
          details,
        }),
      );
      await expect(attempt).rejects.toThrow(SecretInAuditDetailsError);
    }
    expect(await db.auditEntry.count({ where: { workspaceId } })).toBe(1);
  });
});

describe("reading the log", () => {
  test("newest first, paged by cursor without repeats, filtered by kind, action, actor and time", async ({ newEndpoint }) => {
    const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
    const other: AuditActor = { kind: "user", userId: "user_2", email: "sam@shop.example" };
    for (let round = 0; round < 6; round += 1) {
      await inWorkspace((tx) =>
        setEndpointEnabled(tx, { workspaceId, endpointId, enabled: round % 2 === 1, actor: round < 3 ? marketer : other }),
      );
    }
    await inWorkspace((tx) => createApiKey(tx, { workspaceId, name: "CI", readOnly: true, actor: other }));

    const seen: string[] = [];
    let after: { at: Date; id: string } | undefined;
    for (;;) {
      const page = await inWorkspace((tx) => listAuditEntries(tx, { workspaceId, limit: 3, after }));
      seen.push(...page.rows.map((row) => row.id));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    const all = (await inWorkspace((tx) => listAuditEntries(tx, { workspaceId, limit: 50 }))).rows;
    expect(all.map((row) => row.id)).toEqual(seen);
    for (let index = 1; index < all.length; index += 1) {
      expect(all[index - 1]!.createdAt.getTime()).toBeGreaterThanOrEqual(all[index]!.createdAt.getTime());
    }

    const list = (filters: Partial<Parameters<typeof listAuditEntries>[1]>) =>
      inWorkspace((tx) => listAuditEntries(tx, { workspaceId, limit: 50, ...filters })).then((page) => page.rows);
    expect((await list({ kind: "api_key" })).map((row) => row.action)).toEqual(["api_key.created"]);
    expect(await list({ action: "endpoint.disabled" })).toHaveLength(3);
    expect(await list({ actor: "SAM@" })).toHaveLength(4);
    expect(await list({ actor: "Hookloop" })).toHaveLength(1);
    expect(await list({ to: all.at(-1)!.createdAt })).toEqual([]);
    expect(await list({ from: new Date(Date.now() + 60_000) })).toEqual([]);
    expect(await list({ from: all.at(-1)!.createdAt, to: new Date(Date.now() + 60_000) })).toHaveLength(8);
  });

  test("another workspace's entries are never visible, even when asked for by its id", async ({ newEndpoint, appDb }) => {
    const mine = await newEndpoint();
    const theirs = await newEndpoint();
    await theirs.inWorkspace((tx) =>
      setEndpointEnabled(tx, { workspaceId: theirs.workspaceId, endpointId: theirs.endpointId, enabled: false, actor: marketer }),
    );
    const asMine = <T>(work: Parameters<typeof withWorkspace<T>>[2]) => withWorkspace(appDb, mine.workspaceId, work);
    expect((await asMine((tx) => listAuditEntries(tx, { workspaceId: theirs.workspaceId, limit: 50 }))).rows).toEqual([]);
    const own = (await asMine((tx) => listAuditEntries(tx, { workspaceId: mine.workspaceId, limit: 50 }))).rows;
    expect(own.map((row) => row.targetId)).toEqual([mine.endpointId]);
    // Nor can one be written into another workspace.
    const forged = asMine((tx) =>
      recordAudit(tx, {
        workspaceId: theirs.workspaceId,
        action: "endpoint.deleted",
        target: { type: "endpoint", id: theirs.endpointId },
      }),
    );
    await expect(forged).rejects.toThrow();
  });
});

describe("retention", () => {
  test("the daily purge deletes entries older than 400 days in every workspace and keeps the rest", async ({
    newEndpoint,
    appDb,
    db,
  }) => {
    const first = await newEndpoint();
    const second = await newEndpoint();
    const day = 24 * 60 * 60 * 1000;
    const now = new Date();
    for (const { workspaceId } of [first, second]) {
      await db.auditEntry.createMany({
        data: [401, 399].map((daysAgo) => ({
          workspaceId,
          actorKind: "cli",
          actorLabel: "CLI",
          action: "endpoint.renamed",
          targetType: "endpoint",
          targetId: `ep_${daysAgo}`,
          createdAt: new Date(now.getTime() - daysAgo * day),
        })),
      });
    }
    // As the worker runs it: logged in as hookloop_app, outside any workspace.
    expect((await purgeExpired(appDb, { now })).auditEntries).toBeGreaterThanOrEqual(2);
    for (const { workspaceId, endpointId } of [first, second]) {
      const left = await db.auditEntry.findMany({ where: { workspaceId }, orderBy: { createdAt: "asc" } });
      expect(left.map((entry) => entry.targetId)).toEqual(["ep_399", endpointId]);
    }
    expect((await purgeExpired(appDb, { now })).auditEntries).toBe(0);
  });
});
