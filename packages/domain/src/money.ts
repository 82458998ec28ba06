// Stripe amounts are integers in a currency's minor unit (cents for usd, yen for jpy, fils for kwd).
// How many digits that unit has is ISO 4217's, which Intl knows, except where Stripe says otherwise.

/**
 * Where Stripe's API amounts differ from ISO 4217: Stripe takes ISK as a two-decimal currency
 * (amounts end in 00) although ISO gives it none (docs.stripe.com/currencies, special cases).
 */
const stripeMinorUnitDigits: Record<string, number> = { ISK: 2 };

const isoDigits = (code: string) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? 2;

/** Digits of the currency's minor unit in Stripe amounts: 2 for usd, 0 for jpy, 3 for kwd. Throws on a malformed code. */
export function minorUnitDigits(currency: string): number {
  const code = currency.toUpperCase();
  return stripeMinorUnitDigits[code] ?? isoDigits(code);
}

/**
 * A Stripe amount as people read it, in the currency's own way ("$29.00", "¥2,900", "KWD 1.250",
 * "29,00 €" in German). An amount with no currency is a plain number; with a malformed code, the
 * number and the code as they are.
 */
export function formatMinorUnits(amount: number, currency: string | null, locale = "en-US"): string {
  if (!currency) return new Intl.NumberFormat(locale).format(amount);
  const code = currency.toUpperCase();
  let shown: number;
  try {
    shown = isoDigits(code);
  } catch {
    return `${new Intl.NumberFormat(locale).format(amount)} ${currency}`;
  }
  // ISK: Stripe's two decimals are always 00, so whole krónur are shown, as ISO has them.
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency: code,
    minimumFractionDigits: shown,
    maximumFractionDigits: shown,
  }).format(amount / 10 ** minorUnitDigits(code));
}
