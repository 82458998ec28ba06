import { listContacts } from "@hookloop/core";
import { billingFields, csvCell } from "@hookloop/domain";
import { requireWorkspace } from "@/server/session";
import { audienceFilter, audienceQuery } from "../audience-query";

/** Every contact of the workspace the Audience lists (its search and filters, if any) as CSV, streamed page by page. */
export async function GET(request: Request) {
  const { workspace, inWorkspace } = await requireWorkspace();
  const filter = audienceFilter(audienceQuery.parse(Object.fromEntries(new URL(request.url).searchParams)));
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(
        // The billing columns under the names the CLI's JSON and destination messages use.
        encoder.encode(
          `email,first_name,last_name,subscribed,source,stripe_customer_id,created_at,updated_at,${billingFields.join(",")}\n`,
        ),
      );
      let after: string | undefined;
      do {
        const page = await inWorkspace((tx) => listContacts(tx, { workspaceId: workspace.id, ...filter, after, limit: 500 }));
        const lines = page.contacts.map((contact) =>
          [
            contact.email,
            contact.firstName,
            contact.lastName,
            contact.subscribed,
            contact.source,
            contact.stripeCustomerId,
            contact.createdAt,
            contact.updatedAt,
            ...billingFields.map((field) => contact.billing[field]),
          ]
            .map(csvCell)
            .join(","),
        );
        if (lines.length) controller.enqueue(encoder.encode(`${lines.join("\n")}\n`));
        after = page.nextCursor ?? undefined;
      } while (after);
      controller.close();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      // Every contact's email and name: kept out of shared and browser caches.
      "cache-control": "private, no-store",
      "content-disposition": `attachment; filename="hookloop-contacts-${new Date().toISOString().slice(0, 10)}.csv"`,
    },
  });
}
