// The worker baselines, at the same concurrency as Hookloop's worker:
// BASELINE=noop (a BullMQ worker that does nothing) | sql (the same writes as raw SQL through pg).
import { connectWorker, startWorker } from "@hookloop/queue";
import pg from "pg";

const mode = process.env.BASELINE;
const concurrency = Number(process.env.WORKER_CONCURRENCY ?? 8);
const connection = connectWorker(process.env.REDIS_URL!);
const prefix = process.env.REDIS_PREFIX;

/** The part of an `invoice.paid` event the raw-SQL baseline writes. */
type InvoicePaid = {
  created: number;
  data: { object: { customer: string; customer_email: string; amount_paid: number; currency: string } };
};

let handler: (payload: { deliveryId: string; workspaceId: string }) => Promise<void>;
if (mode === "noop") {
  handler = async () => {};
} else if (mode === "sql") {
  // Same pool size and login (hookloop_app) as the worker: row-level security applies as it does there.
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: concurrency + 2 });
  handler = async ({ deliveryId, workspaceId }) => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
      const { rows } = await client.query<{ payload: InvoicePaid; stripe_event_id: string }>(
        "SELECT payload, stripe_event_id FROM delivery WHERE id = $1 AND workspace_id = $2 FOR UPDATE",
        [deliveryId, workspaceId],
      );
      const event = rows[0]!.payload;
      const invoice = event.data.object;
      const contact = await client.query<{ id: string }>(
        `INSERT INTO contact (workspace_id, email, first_name, last_name, source, stripe_customer_id)
         VALUES ($1, $2, $3, $4, 'stripe', $5)
         ON CONFLICT (workspace_id, email) DO UPDATE SET updated_at = now() RETURNING id`,
        [workspaceId, invoice.customer_email, "Ada", "Lovelace", invoice.customer],
      );
      const contactId = contact.rows[0]!.id;
      await client.query(
        `INSERT INTO trigger_event (workspace_id, contact_id, name, properties, stripe_event_id, delivery_id, occurred_at)
         VALUES ($1, $2, 'successfulPayment', $3, $4, $5, to_timestamp($6)) ON CONFLICT DO NOTHING`,
        [
          workspaceId,
          contactId,
          { amount: invoice.amount_paid, currency: invoice.currency },
          rows[0]!.stripe_event_id,
          deliveryId,
          event.created,
        ],
      );
      await client.query(
        `UPDATE delivery SET status = 'processed', reason = 'applied', contact_id = $2, processed_at = now(), attempts = attempts + 1 WHERE id = $1`,
        [deliveryId, contactId],
      );
      await client.query("DELETE FROM delivery_outbox WHERE delivery_id = $1", [deliveryId]);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    } finally {
      client.release();
    }
  };
} else {
  throw new Error(`unknown BASELINE ${mode}`);
}

const worker = startWorker("deliveries", handler, { connection, prefix, concurrency });
worker.on("error", () => {});
process.once("SIGTERM", () => {
  void worker.close().then(() => process.exit(0));
});
