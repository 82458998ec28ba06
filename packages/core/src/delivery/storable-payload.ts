// What Postgres' jsonb refuses in JSON that JavaScript parses, found in TypeScript before any
// database work: a body it refuses would otherwise fail its record statement, be answered 503, and
// be retried by Stripe for three days, each time failing the same way. The NUL escape jsonb also
// refuses is already turned away by domain's parseStripeEvent.

/**
 * Stripe's events nest a handful of levels (event → data → object → list → item → price → …,
 * about ten at most with expansions); 64 leaves room for that many times over, and is far below
 * the ~10,000–20,000 levels at which Postgres' parser runs out of stack.
 */
export const MAX_PAYLOAD_DEPTH = 64;

// numeric, which jsonb stores numbers as: at most 131,072 digits before the point and 16,383 after.
const maxDigitsBeforePoint = 131_072;
const maxDigitsAfterPoint = 16_383;
// Postgres also refuses an exponent beyond about ±10^9 even on a zero; Stripe sends no exponents at all.
const maxExponent = 1_000_000;

const code = (text: string, at: number) => text.charCodeAt(at);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/**
 * Why Postgres could not store this JSON text as jsonb, in one sentence, or null when it can.
 * `json` must already be valid JSON (it is scanned, not validated). Never quotes the text.
 */
export function unstorablePayloadReason(json: string): string | null {
  let depth = 0;
  for (let at = 0; at < json.length; at++) {
    const c = code(json, at);
    if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_PAYLOAD_DEPTH) return `The body nests deeper than ${MAX_PAYLOAD_DEPTH} levels.`;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    } else if (c === 0x22) {
      const end = endOfString(json, at);
      if (typeof end === "string") return end;
      at = end;
    } else if (c === 0x2d || isDigit(c)) {
      const end = endOfNumber(json, at);
      if (typeof end === "string") return end;
      at = end;
    }
  }
  return null;
}

/** The index of the string's closing quote, or why jsonb refuses the string. */
function endOfString(json: string, open: number): number | string {
  // jsonb decodes \u escapes and refuses one half of a surrogate pair without the other (raw
  // characters cannot be unpaired: the body was decoded from UTF-8).
  let highPending = false;
  for (let at = open + 1; at < json.length; at++) {
    const c = code(json, at);
    if (c === 0x22) return highPending ? loneSurrogate : at;
    if (c !== 0x5c) {
      if (highPending) return loneSurrogate;
      continue;
    }
    const escaped = code(json, ++at);
    if (escaped !== 0x75) {
      if (highPending) return loneSurrogate;
      continue;
    }
    const unit = Number.parseInt(json.slice(at + 1, at + 5), 16);
    at += 4;
    if (unit === 0) return "The body contains a \\u0000 (NUL) character.";
    if (highPending !== isLowSurrogate(unit)) return loneSurrogate;
    highPending = isHighSurrogate(unit);
  }
  return json.length;
}

const loneSurrogate = "The body contains an unpaired UTF-16 surrogate escape (such as \\ud800).";

/** The index of the number's last character, or why numeric refuses the number. */
function endOfNumber(json: string, start: number): number | string {
  let at = start;
  if (code(json, at) === 0x2d) at++;
  const intStart = at;
  while (isDigit(code(json, at))) at++;
  const intDigits = json.slice(intStart, at);
  let fracDigits = "";
  if (code(json, at) === 0x2e) {
    const fracStart = ++at;
    while (isDigit(code(json, at))) at++;
    fracDigits = json.slice(fracStart, at);
  }
  let exponent = 0;
  if ((code(json, at) | 0x20) === 0x65) {
    const expStart = ++at;
    if (code(json, at) === 0x2b || code(json, at) === 0x2d) at++;
    while (isDigit(code(json, at))) at++;
    exponent = Number(json.slice(expStart, at));
  }
  const digits = intDigits + fracDigits;
  const firstNonZero = digits.search(/[1-9]/);
  const beforePoint = firstNonZero < 0 ? 0 : intDigits.length - firstNonZero + exponent;
  const afterPoint = Math.max(0, fracDigits.length - exponent);
  if (Math.abs(exponent) > maxExponent || beforePoint > maxDigitsBeforePoint || afterPoint > maxDigitsAfterPoint) {
    return "The body contains a number too large or too precise to store.";
  }
  return at - 1;
}
