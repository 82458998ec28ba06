// The endpoint page's deliveries: pages that neither skip nor repeat while Stripe keeps sending,
// and filters by status, type, date and a search by event, customer or email.
import { expect } from "vitest";
import { recordTestDelivery, stripeEvent } from "@hookloop/testing";
import { test } from "@hookloop/testing/fixtures";
import type { PagePosition } from "../contact/filter-contacts";
import { searchCondition } from "./delivery-filter";
import { filterDeliveries } from "./filter-deliveries";
import { listDeliveries } from "./list-deliveries";

test("paging through 25 deliveries 10 at a time while 12 more arrive yields each of the 25 once, newest first", async ({
  newEndpoint,
  db,
}) => {
  const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
  const record = async (at: Date) => {
    const delivery = await recordTestDelivery(db, { workspaceId, endpointId, event: stripeEvent("invoice.paid") });
    // Several share one millisecond, as a burst from Stripe does: the id breaks the tie.
    await db.delivery.update({ where: { id: delivery.id }, data: { receivedAt: at } });
    return delivery.id;
  };
  const start = Date.now() - 60_000;
  const before: string[] = [];
  for (let i = 0; i < 25; i++) before.push(await record(new Date(start + Math.floor(i / 3) * 1_000)));

  const seen: string[] = [];
  let after: PagePosition | undefined;
  let pages = 0;
  do {
    const page = await inWorkspace((tx) =>
      filterDeliveries(tx, { workspaceId, endpointId, limit: 10, ...(after ? { after } : {}) }),
    );
    seen.push(...page.rows.map((row) => row.id));
    after = page.next ?? undefined;
    pages++;
    // New deliveries between pages, some in the very millisecond of the page's last row.
    for (let i = 0; i < 4; i++) await record(i % 2 ? new Date() : (page.rows.at(-1)?.receivedAt ?? new Date()));
  } while (after);

  expect(pages).toBe(3);
  expect(new Set(seen).size).toBe(seen.length);
  // Every one there before paging began is seen, in (received, id) order, newest first.
  const expected = (
    await db.delivery.findMany({ where: { id: { in: before } }, orderBy: [{ receivedAt: "desc" }, { id: "desc" }] })
  ).map((row) => row.id);
  expect(seen.filter((id) => before.includes(id))).toEqual(expected);
});

test("filters by status, type and received dates, and searches by event id, customer id or email", async ({
  newEndpoint,
  db,
}) => {
  const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
  const record = async (type: string, options: Parameters<typeof stripeEvent>[1], status: "processed" | "failed", at: string) => {
    const event = stripeEvent(type, options);
    const delivery = await recordTestDelivery(db, { workspaceId, endpointId, event });
    await db.delivery.update({ where: { id: delivery.id }, data: { status, receivedAt: new Date(at) } });
    return { id: delivery.id, eventId: event.id };
  };
  const ada = await record(
    "invoice.paid",
    { customerId: "cus_ada", email: "ada@example.com" },
    "processed",
    "2026-11-01T10:00:00Z",
  );
  const adaFailed = await record(
    "invoice.payment_failed",
    { customerId: "cus_ada", email: "ada@example.com" },
    "failed",
    "2026-11-02T10:00:00Z",
  );
  const grace = await record(
    "customer.created",
    { customerId: "cus_grace", email: "Grace@Example.com" },
    "processed",
    "2026-11-03T10:00:00Z",
  );
  const charge = await record(
    "charge.refunded",
    { customerId: "cus_lin", email: "lin@example.com" },
    "failed",
    "2026-11-04T10:00:00Z",
  );

  const ids = (filter: Omit<Parameters<typeof listDeliveries>[1], "workspaceId" | "endpointId">) =>
    inWorkspace(async (tx) => (await listDeliveries(tx, { workspaceId, endpointId, ...filter })).map((row) => row.id));

  expect(await ids({})).toEqual([charge.id, grace.id, adaFailed.id, ada.id]);
  expect(await ids({ status: "failed" })).toEqual([charge.id, adaFailed.id]);
  expect(await ids({ type: "invoice.paid" })).toEqual([ada.id]);
  expect(await ids({ receivedFrom: new Date("2026-11-02T00:00:00Z"), receivedBefore: new Date("2026-11-04T00:00:00Z") })).toEqual(
    [grace.id, adaFailed.id],
  );
  expect(await ids({ search: ` ${adaFailed.eventId} ` })).toEqual([adaFailed.id]);
  expect(await ids({ search: "cus_ada" })).toEqual([adaFailed.id, ada.id]);
  expect(await ids({ search: "cus_ada", status: "failed" })).toEqual([adaFailed.id]);
  // A customer event names the customer as itself; an email matches whatever its case.
  expect(await ids({ search: "cus_grace" })).toEqual([grace.id]);
  expect(await ids({ search: "grace@example.COM" })).toEqual([grace.id]);
  expect(await ids({ search: "ada@example.com" })).toEqual([adaFailed.id, ada.id]);
  // A charge names its customer and its billing email.
  expect(await ids({ search: "lin@example.com" })).toEqual([charge.id]);
  expect(await ids({ search: "cus_lin" })).toEqual([charge.id]);
  expect(await ids({ search: "nobody@example.com" })).toEqual([]);
});

test("a search by customer or email is answered from its index", async ({ newEndpoint, db }) => {
  const { workspaceId } = await newEndpoint();
  for (const [term, index] of [
    ["cus_ada", "delivery_customer_search_idx"],
    ["ada@example.com", "delivery_email_search_idx"],
  ] as const) {
    const condition = searchCondition(term);
    const sql = condition.sql.replace("?", `'${condition.values[0] as string}'`);
    const plan = await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      return tx.$queryRawUnsafe<Array<{ "QUERY PLAN": string }>>(
        `EXPLAIN SELECT d.id FROM delivery d WHERE d.workspace_id = '${workspaceId}' AND ${sql}`,
      );
    });
    expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toContain(index);
  }
});
