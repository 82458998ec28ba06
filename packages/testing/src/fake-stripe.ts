// A local fake of the few Stripe API routes Hookloop reads, for tests and benchmarks: a real HTTP
// server on a free loopback port that the official SDK reaches through its host, port and protocol
// options. Shapes follow Stripe's API reference (list objects, expansion up to its four levels, the
// error object); the objects come from the same realistic builders as the test events
// (sample-events).
//
// Routes: GET /v1/account, GET /v1/customers, GET /v1/customers/:id, GET /v1/subscriptions, GET /v1/invoices,
// GET /v1/products, GET /v1/products/:id. Lists are newest first and page with `limit` (1–100,
// default 10), `starting_after` and `has_more`, like Stripe's.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { stripeEvent } from "@hookloop/core";

type StripeObject = Record<string, unknown> & { id: string };

export type FakeStripeAccount = { id: string; name: string };

export type SeededCustomer = {
  customer: StripeObject;
  /** Newest first, as Stripe lists them; their prices name their product by id. */
  subscriptions: StripeObject[];
  /** Paid invoices, newest first. */
  invoices: StripeObject[];
};

/** A failure the fake answers instead of the real answer, to matching requests, `count` times. */
export type InjectedFailure = {
  status: 429 | 500 | 503;
  count: number;
  /** Only requests whose path starts with this (`/v1/subscriptions`); all when absent. */
  path?: string;
  /** Of the matching requests, every n-th fails (1: each one) until `count` have. */
  every?: number;
  /** Seconds, sent as Retry-After with a 429. */
  retryAfterSeconds?: number;
};

export type FakeStripe = {
  /** `http://127.0.0.1:<port>`, for STRIPE_API_BASE. */
  url: string;
  host: string;
  port: number;
  protocol: "http";
  account: FakeStripeAccount;
  /** The keys answered as the account's; any other is 401. */
  keys: Set<string>;
  /** Every customer, newest first, with their subscriptions and paid invoices. */
  customers: SeededCustomer[];
  products: Map<string, StripeObject>;
  /** Requests answered so far, by route (`GET /v1/customers`), and every status sent. */
  requests: { total: number; byRoute: Map<string, number>; statuses: number[] };
  inject: (failure: InjectedFailure) => void;
  /** Answers every request by dropping its connection until `restore()`: Stripe unreachable mid-import. */
  dropConnections: () => void;
  restore: () => void;
  /** Called before each answer with the request count so far; a test uses it to act mid-import. */
  onRequest?: (count: number) => void;
  close: () => Promise<void>;
};

export type FakeStripeOptions = {
  /** Keys the fake accepts; a restricted test key by default. */
  keys?: string[];
  account?: Partial<FakeStripeAccount>;
  /** How many customers to seed (see seedCustomer for what each one has). */
  customers?: number;
  /** Unix seconds the seeded customers were created before; defaults to a fixed date. */
  createdBefore?: number;
};

export const fakeStripeTestKey = "rk_test_51FakeHookloopRestrictedKey0001";

const products: StripeObject[] = [
  { id: "prod_FakeStarter", object: "product", active: true, name: "Starter", livemode: false, metadata: {}, type: "service" },
  { id: "prod_FakePro", object: "product", active: true, name: "Pro", livemode: false, metadata: {}, type: "service" },
  { id: "prod_FakeTeam", object: "product", active: true, name: "Team", livemode: false, metadata: {}, type: "service" },
];

const statuses = ["active", "trialing", "past_due", "canceled", "active"] as const;

/**
 * Customer `index` (0-based) of a seeding: `cus_fake<index>` with `customer<index>@example.com`
 * and the name `Customer <index>`; one subscription whose status cycles active, trialing,
 * past_due, canceled, active, on a price without nickname of product Starter, Pro or Team
 * (index % 3) at 1000 + 100 × (index % 3) a month; `index % 4` paid invoices of 500 + index each.
 * Every seventh customer has no subscription.
 */
export function seedCustomer(index: number, createdBefore: number): SeededCustomer {
  const customerId = `cus_fake${String(index).padStart(6, "0")}`;
  const email = `customer${index}@example.com`;
  const name = `Customer ${index}`;
  const created = createdBefore - 86_400 * 400 + index * 60;
  const customer = stripeEvent("customer.created", { customerId, email, name, created: created + 60 }).data
    .object as StripeObject;
  const subscriptions: StripeObject[] = [];
  if (index % 7 !== 6) {
    const product = products[index % 3]!;
    const status = statuses[index % statuses.length]!;
    const subscription = stripeEvent("customer.subscription.created", {
      customerId,
      created: created + 120,
      subscription: {
        id: `sub_fake${String(index).padStart(6, "0")}`,
        status,
        priceId: `price_fake${product.id.slice(9)}`,
        nickname: null,
        unitAmount: 1000 + 100 * (index % 3),
        interval: "month",
        trialEnd: status === "trialing" ? createdBefore + 7 * 86_400 : null,
        canceledAt: status === "canceled" ? created + 86_400 : null,
      },
    }).data.object as StripeObject;
    const items = subscription.items as { data: Array<{ price: Record<string, unknown> }> };
    for (const item of items.data) item.price.product = product.id;
    subscriptions.push(subscription);
  }
  const invoices = Array.from({ length: index % 4 }, (_, n) => {
    const paidAt = created + 86_400 * (30 * (n + 1));
    return stripeEvent("invoice.paid", {
      customerId,
      email,
      name,
      amount: 500 + index,
      invoiceId: `in_fake${String(index).padStart(6, "0")}_${n}`,
      created: paidAt,
    }).data.object as StripeObject;
  }).reverse();
  return { customer, subscriptions, invoices };
}

function stripeError(
  response: ServerResponse,
  status: number,
  error: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  response
    .writeHead(status, { "content-type": "application/json", "request-id": `req_fake${Date.now()}`, ...headers })
    .end(JSON.stringify({ error }));
}

const masked = (key: string) =>
  `${key.slice(0, key.indexOf("_", 3) + 1)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;

export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  const createdBefore = options.createdBefore ?? Date.UTC(2026, 10, 1) / 1000;
  const customers = Array.from({ length: options.customers ?? 0 }, (_, index) => seedCustomer(index, createdBefore)).reverse();
  const failures: Array<InjectedFailure & { seen: number }> = [];
  const sockets = new Set<Socket>();
  let dropping = false;

  const fake: FakeStripe = {
    url: "",
    host: "127.0.0.1",
    port: 0,
    protocol: "http",
    account: { id: options.account?.id ?? "acct_1FakeHookloop", name: options.account?.name ?? "Fake Stripe Inc." },
    keys: new Set(options.keys ?? [fakeStripeTestKey]),
    customers,
    products: new Map(products.map((product) => [product.id, product])),
    requests: { total: 0, byRoute: new Map(), statuses: [] },
    inject: (failure) => void failures.push({ ...failure, seen: 0 }),
    dropConnections: () => void (dropping = true),
    restore: () => void (dropping = false),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function send(response: ServerResponse, status: number, body: unknown) {
    fake.requests.statuses.push(status);
    response.writeHead(status, { "content-type": "application/json", "request-id": `req_fake${fake.requests.total}` });
    response.end(JSON.stringify(body));
  }

  function list(
    response: ServerResponse,
    url: URL,
    path: string,
    all: StripeObject[],
    expand: (item: StripeObject) => StripeObject,
  ) {
    const limitParam = url.searchParams.get("limit");
    const limit = limitParam === null ? 10 : Number(limitParam);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      fake.requests.statuses.push(400);
      return stripeError(response, 400, {
        type: "invalid_request_error",
        code: "parameter_invalid_integer",
        param: "limit",
        message: "This value must be greater than or equal to 1 and less than or equal to 100.",
      });
    }
    const after = url.searchParams.get("starting_after");
    let start = 0;
    if (after) {
      const index = all.findIndex((item) => item.id === after);
      if (index === -1) {
        fake.requests.statuses.push(400);
        return stripeError(response, 400, {
          type: "invalid_request_error",
          code: "resource_missing",
          param: "starting_after",
          message: `No such object: '${after}'`,
        });
      }
      start = index + 1;
    }
    const page = all.slice(start, start + limit).map(expand);
    send(response, 200, { object: "list", data: page, has_more: start + limit < all.length, url: path });
  }

  const expansions = (url: URL) =>
    [...url.searchParams.entries()].filter(([key]) => /^expand\[\d*\]$/.test(key)).map(([, value]) => value);

  function answer(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const route = `${request.method} ${url.pathname
      .replace(/^\/v1\/products\/[^/]+$/, "/v1/products/:id")
      .replace(/^\/v1\/customers\/[^/]+$/, "/v1/customers/:id")}`;
    fake.requests.total++;
    fake.requests.byRoute.set(route, (fake.requests.byRoute.get(route) ?? 0) + 1);
    fake.onRequest?.(fake.requests.total);
    if (dropping) return void request.socket.destroy();

    for (const failure of failures) {
      if (failure.count <= 0 || (failure.path && !url.pathname.startsWith(failure.path))) continue;
      failure.seen++;
      if (failure.seen % (failure.every ?? 1) !== 0) continue;
      failure.count--;
      fake.requests.statuses.push(failure.status);
      if (failure.status === 429) {
        return stripeError(
          response,
          429,
          {
            type: "invalid_request_error",
            code: "rate_limit",
            message: "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.",
          },
          failure.retryAfterSeconds === undefined ? {} : { "retry-after": String(failure.retryAfterSeconds) },
        );
      }
      return stripeError(response, failure.status, { type: "api_error", message: "Something went wrong on Stripe's end." });
    }

    const authorization = request.headers.authorization ?? "";
    const key = /^Bearer (.+)$/.exec(authorization)?.[1];
    if (!key || !fake.keys.has(key)) {
      fake.requests.statuses.push(401);
      return stripeError(response, 401, {
        type: "invalid_request_error",
        message: key
          ? `Invalid API Key provided: ${masked(key)}`
          : "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      });
    }
    if (request.method !== "GET") {
      fake.requests.statuses.push(404);
      return stripeError(response, 404, {
        type: "invalid_request_error",
        message: `Unrecognized request URL (${request.method}: ${url.pathname}).`,
      });
    }
    // Stripe's documented limit: "Expansions have a maximum depth of four levels".
    const tooDeep = expansions(url).find((path) => path.split(".").length > 4);
    if (tooDeep) {
      fake.requests.statuses.push(400);
      return stripeError(response, 400, {
        type: "invalid_request_error",
        param: "expand",
        message: `You cannot expand more than 4 levels of a property. Property: ${tooDeep}`,
      });
    }
    const live = key.includes("_live_");
    const customerFilter = url.searchParams.get("customer");
    const statusFilter = url.searchParams.get("status");

    switch (route) {
      case "GET /v1/account":
        return send(response, 200, {
          id: fake.account.id,
          object: "account",
          business_profile: { name: fake.account.name, url: "https://example.com", support_email: null },
          capabilities: { card_payments: "active" },
          charges_enabled: true,
          country: "US",
          default_currency: "usd",
          details_submitted: true,
          email: "billing@example.com",
          payouts_enabled: true,
          settings: { dashboard: { display_name: fake.account.name, timezone: "Etc/UTC" } },
          type: "standard",
        });
      case "GET /v1/customers":
        return list(
          response,
          url,
          "/v1/customers",
          fake.customers.map((entry) => ({ ...entry.customer, livemode: live })),
          (item) => item,
        );
      case "GET /v1/customers/:id": {
        const id = url.pathname.slice("/v1/customers/".length);
        const entry = fake.customers.find((candidate) => candidate.customer.id === id);
        if (!entry) {
          fake.requests.statuses.push(404);
          return stripeError(response, 404, {
            type: "invalid_request_error",
            code: "resource_missing",
            param: "id",
            message: `No such customer: '${id}'`,
          });
        }
        return send(response, 200, { ...entry.customer, livemode: live });
      }
      case "GET /v1/subscriptions": {
        // The one expansion served: a subscription's customer. Its prices' products would be
        // data.items.data.price.product, five levels, which Stripe refuses (above).
        const expandCustomer = expansions(url).includes("data.customer");
        const all = fake.customers
          .filter((entry) => !customerFilter || entry.customer.id === customerFilter)
          .flatMap((entry) => entry.subscriptions)
          // Stripe's default leaves canceled subscriptions out; status=all includes them.
          .filter((subscription) =>
            statusFilter === "all"
              ? true
              : statusFilter
                ? subscription.status === statusFilter
                : subscription.status !== "canceled",
          );
        return list(response, url, "/v1/subscriptions", all, (subscription) =>
          expandCustomer
            ? {
                ...subscription,
                customer:
                  fake.customers.find((entry) => entry.customer.id === subscription.customer)?.customer ?? subscription.customer,
              }
            : subscription,
        );
      }
      case "GET /v1/invoices": {
        const all = fake.customers
          .filter((entry) => !customerFilter || entry.customer.id === customerFilter)
          .flatMap((entry) => entry.invoices)
          .filter((invoice) => !statusFilter || invoice.status === statusFilter);
        return list(response, url, "/v1/invoices", all, (invoice) => invoice);
      }
      case "GET /v1/products":
        return list(response, url, "/v1/products", [...fake.products.values()], (product) => product);
      case "GET /v1/products/:id": {
        const product = fake.products.get(url.pathname.slice("/v1/products/".length));
        if (!product) {
          fake.requests.statuses.push(404);
          return stripeError(response, 404, {
            type: "invalid_request_error",
            code: "resource_missing",
            param: "id",
            message: `No such product: '${url.pathname.slice("/v1/products/".length)}'`,
          });
        }
        return send(response, 200, product);
      }
      default:
        fake.requests.statuses.push(404);
        return stripeError(response, 404, {
          type: "invalid_request_error",
          message: `Unrecognized request URL (GET: ${url.pathname}).`,
        });
    }
  }

  const server: Server = createServer((request, response) => {
    request.resume();
    request.on("end", () => answer(request, response));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.port = (server.address() as AddressInfo).port;
  fake.url = `http://127.0.0.1:${fake.port}`;
  return fake;
}
