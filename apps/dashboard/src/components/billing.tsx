// A contact's billing state (@hookloop/domain billingStateSchema) as marketers read it: a status
// badge, money in its currency, dates in words.
import { formatMinorUnits, type BillingState } from "@hookloop/domain";

const statusLabels: Record<string, string> = {
  active: "Active",
  trialing: "Trialing",
  past_due: "Past due",
  unpaid: "Unpaid",
  paused: "Paused",
  incomplete: "Incomplete",
  incomplete_expired: "Incomplete, expired",
  canceled: "Canceled",
  none: "No subscription",
};

export const statusLabel = (status: string | null) => statusLabels[status ?? "none"] ?? status ?? "No subscription";

/** Day, month in words and year, in UTC: "3 Jan 2027". */
export const day = (iso: string | null) =>
  iso
    ? new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(iso))
    : null;

/** Per month, in the currency's own way: "$29.00/mo", "¥2,900/mo". */
export const monthly = (billing: BillingState) => `${formatMinorUnits(billing.mrr, billing.currency)}/mo`;

export function SubscriptionBadge({ status }: { status: string | null }) {
  return <span className={`badge subscription ${status ?? "none"}`}>{statusLabel(status)}</span>;
}

const intervals: Record<string, string> = { day: "daily", week: "weekly", month: "monthly", year: "yearly" };

/** Every billing field, readable, and what it means for the next renewal. */
export function BillingPanel({ billing }: { billing: BillingState }) {
  const money = (amount: number) => formatMinorUnits(amount, billing.currency);
  const renewal = billing.cancelAtPeriodEnd
    ? `Cancels at period end${billing.renewsAt ? `, ${day(billing.renewsAt)}` : ""}: it will not renew.`
    : billing.renewsAt
      ? `Renews on ${day(billing.renewsAt)}.`
      : billing.subscriptionStatus === "canceled"
        ? `Canceled${billing.canceledAt ? ` on ${day(billing.canceledAt)}` : ""}: it will not renew.`
        : null;
  const facts: Array<[string, string | null]> = [
    ["Plan", billing.plan],
    ["Billed", billing.interval ? (intervals[billing.interval] ?? billing.interval) : null],
    ["MRR", billing.subscriptionStatus || billing.mrr ? monthly(billing) : null],
    ["Currency", billing.currency?.toUpperCase() ?? null],
    ["Trial ends", day(billing.trialEndsAt)],
    ["Renews on", day(billing.renewsAt)],
    ["Cancels at period end", billing.cancelAtPeriodEnd === null ? null : billing.cancelAtPeriodEnd ? "Yes" : "No"],
    ["Canceled on", day(billing.canceledAt)],
    ["Lifetime value", billing.lifetimeValue || billing.firstPaidAt ? money(billing.lifetimeValue) : null],
    ["First paid", day(billing.firstPaidAt)],
    ["Last paid", day(billing.lastPaidAt)],
    ["Last payment failed", day(billing.lastPaymentFailedAt)],
  ];
  return (
    <div className="panel" data-testid="billing-panel">
      <div className="spread">
        <h2>Billing</h2>
        <SubscriptionBadge status={billing.subscriptionStatus} />
      </div>
      {renewal && <p data-testid="renewal">{renewal}</p>}
      <dl className="facts">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value ?? <span className="muted">—</span>}</dd>
          </div>
        ))}
      </dl>
      <p className="muted small">
        From the contact&apos;s Stripe subscription and invoice events. MRR counts active and past-due subscriptions at list
        price, per month; lifetime value is paid invoices net of refunds.
      </p>
    </div>
  );
}
