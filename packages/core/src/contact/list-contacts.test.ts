import { expect } from "vitest";
import { noBilling, type BillingState } from "@hookloop/domain";
import { recordTestDelivery, stripeEvent, asJson } from "@hookloop/testing";
import { test } from "@hookloop/testing/fixtures";
import { applyDelivery } from "../delivery/apply-delivery";
import { createEndpoint } from "../endpoint/create-endpoint";
import { createWorkspace } from "../workspace/create-workspace";
import { withWorkspace, type WorkspaceTx } from "../workspace/with-workspace";
import { filterContacts } from "./filter-contacts";
import { listContactPlans } from "./list-contact-plans";
import { listContacts } from "./list-contacts";

type Seed = { email: string; billing?: Partial<BillingState> | null; firstName?: string };

/** A workspace of its own whose contacts have these billing states, made oldest first (so listed last). */
async function audience(appDb: Parameters<typeof withWorkspace>[0], seeds: Seed[]) {
  const workspace = await createWorkspace(appDb, { name: "Acme" });
  const inWorkspace = <T>(work: (tx: WorkspaceTx) => Promise<T>) => withWorkspace(appDb, workspace.id, work);
  await inWorkspace(async (tx) => {
    for (const [index, seed] of seeds.entries()) {
      await tx.contact.create({
        data: {
          workspaceId: workspace.id,
          email: seed.email,
          firstName: seed.firstName ?? null,
          source: "Stripe",
          createdAt: new Date(Date.UTC(2026, 10, 1) + index * 1000),
          ...(seed.billing === null ? {} : { billing: asJson({ ...noBilling, ...seed.billing }) }),
        },
      });
    }
  });
  const emails = async (options: Omit<Parameters<typeof listContacts>[1], "workspaceId">) =>
    (await inWorkspace((tx) => listContacts(tx, { workspaceId: workspace.id, ...options }))).contacts.map(
      (contact) => contact.email,
    );
  return { workspaceId: workspace.id, inWorkspace, emails };
}

const seeds: Seed[] = [
  { email: "never-billed@example.com", billing: null },
  { email: "paid-once@example.com", billing: { lifetimeValue: 4200, currency: "usd" } },
  {
    email: "ada@example.com",
    firstName: "Ada",
    billing: { subscriptionStatus: "active", plan: "Pro", mrr: 2900, currency: "usd" },
  },
  { email: "grace@example.com", billing: { subscriptionStatus: "past_due", plan: "Pro", mrr: 2900, currency: "usd" } },
  { email: "alan@example.com", billing: { subscriptionStatus: "active", plan: "Team", mrr: 9900, currency: "eur" } },
  { email: "edsger@example.com", billing: { subscriptionStatus: "trialing", plan: "Team", currency: "eur" } },
  { email: "barbara@example.com", billing: { subscriptionStatus: "canceled", plan: "Pro", currency: "usd" } },
];

test("the audience filters by subscription status, by plan, or both, and 'none' finds contacts without a subscription", async ({
  appDb,
}) => {
  const { emails } = await audience(appDb, seeds);
  expect(await emails({ subscriptionStatus: "active" })).toEqual(["alan@example.com", "ada@example.com"]);
  expect(await emails({ plan: "Pro" })).toEqual(["barbara@example.com", "grace@example.com", "ada@example.com"]);
  expect(await emails({ subscriptionStatus: "active", plan: "Pro" })).toEqual(["ada@example.com"]);
  expect(await emails({ subscriptionStatus: "trialing", plan: "Pro" })).toEqual([]);
  expect(await emails({ subscriptionStatus: null })).toEqual(["paid-once@example.com", "never-billed@example.com"]);
  expect(await emails({ plan: "Enterprise" })).toEqual([]);
  // Filters and search hold together.
  expect(await emails({ plan: "Pro", search: "ADA" })).toEqual(["ada@example.com"]);
  expect(await emails({})).toHaveLength(seeds.length);
});

test("a filtered or searched audience keeps its filter on every page", async ({ appDb }) => {
  const many: Seed[] = Array.from({ length: 7 }, (_, index) => [
    { email: `pro-${index}@example.com`, billing: { subscriptionStatus: "active", plan: "Pro" } },
    { email: `team-${index}@example.com`, billing: { subscriptionStatus: "active", plan: "Team" } },
  ]).flat();
  const { workspaceId, inWorkspace } = await audience(appDb, many);
  const pages: string[][] = [];
  let after: string | undefined;
  do {
    const page = await inWorkspace((tx) => listContacts(tx, { workspaceId, plan: "Team", limit: 3, after }));
    pages.push(page.contacts.map((contact) => contact.email));
    after = page.nextCursor ?? undefined;
  } while (after);
  expect(pages.flat()).toEqual([6, 5, 4, 3, 2, 1, 0].map((index) => `team-${index}@example.com`));
  expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);

  // The search too: the second page of "pro-" has only pro- contacts.
  const first = await inWorkspace((tx) => listContacts(tx, { workspaceId, search: "pro-", limit: 4 }));
  const second = await inWorkspace((tx) => listContacts(tx, { workspaceId, search: "pro-", limit: 4, after: first.nextCursor! }));
  expect([...first.contacts, ...second.contacts].map((contact) => contact.email)).toEqual(
    [6, 5, 4, 3, 2, 1, 0].map((index) => `pro-${index}@example.com`),
  );
});

test("the API's contact filter takes the same billing filter, page after page", async ({ appDb }) => {
  const { workspaceId, inWorkspace } = await audience(appDb, seeds);
  const first = await inWorkspace((tx) => filterContacts(tx, { workspaceId, subscriptionStatus: "active", limit: 1 }));
  expect(first.rows.map((row) => row.email)).toEqual(["alan@example.com"]);
  const second = await inWorkspace((tx) =>
    filterContacts(tx, { workspaceId, subscriptionStatus: "active", limit: 1, after: first.next! }),
  );
  expect(second.rows.map((row) => row.email)).toEqual(["ada@example.com"]);
  expect(second.next).toBeNull();
  const teamOnEur = await inWorkspace((tx) => filterContacts(tx, { workspaceId, plan: "Team", limit: 10 }));
  expect(teamOnEur.rows.map((row) => row.email)).toEqual(["edsger@example.com", "alan@example.com"]);
});

test("the plans offered are the workspace's own, each once, alphabetically, and never another workspace's", async ({ appDb }) => {
  const { workspaceId, inWorkspace } = await audience(appDb, seeds);
  const other = await audience(appDb, [
    { email: "x@example.com", billing: { subscriptionStatus: "active", plan: "Enterprise" } },
  ]);
  expect(await inWorkspace((tx) => listContactPlans(tx, { workspaceId }))).toEqual(["Pro", "Team"]);
  expect(await other.inWorkspace((tx) => listContactPlans(tx, { workspaceId: other.workspaceId }))).toEqual(["Enterprise"]);
  // Asking for another workspace's plans from inside this one finds nothing (row-level security).
  expect(await inWorkspace((tx) => listContactPlans(tx, { workspaceId: other.workspaceId }))).toEqual([]);
});

test("contacts made by Stripe's own subscription and invoice events are found by the filters", async ({ db, appDb, box }) => {
  const workspace = await createWorkspace(db, { name: "Acme" });
  const endpoint = await withWorkspace(db, workspace.id, (tx) =>
    createEndpoint(tx, {
      box,
      workspaceId: workspace.id,
      name: "Stripe",
      enable: ["customer.created", "customer.subscription.created", "customer.subscription.updated", "invoice.paid"].map(
        (eventType) => ({ eventType }),
      ),
    }),
  );
  const created = Math.floor(Date.now() / 1000) - 600;
  const apply = async (event: ReturnType<typeof stripeEvent>) => {
    const delivery = await recordTestDelivery(db, { workspaceId: workspace.id, endpointId: endpoint.id, event });
    expect(await applyDelivery(appDb, { deliveryId: delivery.id, workspaceId: workspace.id })).toMatchObject({
      status: "processed",
    });
  };
  await apply(stripeEvent("customer.created", { customerId: "cus_ada", email: "ada@example.com", created }));
  await apply(
    stripeEvent("customer.subscription.created", {
      customerId: "cus_ada",
      created: created + 1,
      subscription: { id: "sub_ada", status: "trialing", nickname: "Scale" },
    }),
  );
  await apply(
    stripeEvent("customer.subscription.updated", {
      customerId: "cus_ada",
      created: created + 2,
      subscription: { id: "sub_ada", status: "past_due", nickname: "Scale" },
    }),
  );
  await apply(stripeEvent("invoice.paid", { customerId: "cus_grace", email: "grace@example.com", created: created + 3 }));

  const emails = async (filter: Parameters<typeof listContacts>[1]) =>
    (await withWorkspace(appDb, workspace.id, (tx) => listContacts(tx, filter))).contacts.map((contact) => contact.email);
  const workspaceId = workspace.id;
  expect(await emails({ workspaceId, subscriptionStatus: "past_due", plan: "Scale" })).toEqual(["ada@example.com"]);
  expect(await emails({ workspaceId, subscriptionStatus: "trialing" })).toEqual([]);
  expect(await emails({ workspaceId, subscriptionStatus: null })).toEqual(["grace@example.com"]);
  expect(await withWorkspace(appDb, workspaceId, (tx) => listContactPlans(tx, { workspaceId }))).toEqual(["Scale"]);
});
