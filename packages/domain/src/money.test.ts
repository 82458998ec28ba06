import { describe, expect, it } from "vitest";
import { formatMinorUnits, minorUnitDigits } from "./money";

describe("Stripe amounts in minor units", () => {
  it.each([
    ["usd", 2],
    ["EUR", 2],
    ["jpy", 0],
    ["krw", 0],
    ["kwd", 3],
    ["isk", 2],
  ])("%s has %i digits in Stripe's amounts", (currency, digits) => {
    expect(minorUnitDigits(currency)).toBe(digits);
  });

  it.each([
    [2900, "usd", "en-US", "$29.00"],
    [123450, "eur", "de-DE", "1.234,50 €"],
    [2900, "jpy", "en-US", "¥2,900"],
    [1250, "kwd", "en-US", "KWD 1.250"],
    [500000, "isk", "en-US", "ISK 5,000"],
    [0, "gbp", "en-GB", "£0.00"],
  ])("%i %s reads as %s", (amount, currency, locale, expected) => {
    // Intl puts a no-break space between amount and code or symbol.
    expect(formatMinorUnits(amount, currency, locale).replace(/\u00a0/g, " ")).toBe(expected);
  });

  it("an amount without a currency is a plain number, and a malformed code is shown as it is", () => {
    expect(formatMinorUnits(4200, null)).toBe("4,200");
    expect(formatMinorUnits(4200, "dollars")).toBe("4,200 dollars");
  });
});
