import { listContacts } from "@hookloop/core";
import { billingFields } from "@hookloop/domain";
import { csvDownload } from "@/server/csv-download";
import { requireWorkspace } from "@/server/session";
import { audienceFilter, audienceQuery } from "../audience-query";

/** Every contact of the workspace the Audience lists (its search and filters, if any) as CSV, streamed page by page. */
export async function GET(request: Request) {
  const { workspace, inWorkspace } = await requireWorkspace();
  const filter = audienceFilter(audienceQuery.parse(Object.fromEntries(new URL(request.url).searchParams)));
  return csvDownload<string>({
    name: "hookloop-contacts",
    // The billing columns under the names the CLI's JSON and destination messages use.
    header: [
      "email",
      "first_name",
      "last_name",
      "subscribed",
      "source",
      "stripe_customer_id",
      "created_at",
      "updated_at",
      ...billingFields,
    ],
    page: async (after) => {
      const page = await inWorkspace((tx) => listContacts(tx, { workspaceId: workspace.id, ...filter, after, limit: 500 }));
      return {
        rows: page.contacts.map((contact) => [
          contact.email,
          contact.firstName,
          contact.lastName,
          contact.subscribed,
          contact.source,
          contact.stripeCustomerId,
          contact.createdAt,
          contact.updatedAt,
          ...billingFields.map((field) => contact.billing[field]),
        ]),
        next: page.nextCursor ?? undefined,
      };
    },
  });
}
