/**
 * One CSV cell, quoted. A cell a spreadsheet would read as a formula (starting with = + - or @, or
 * with a tab or carriage return, which some spreadsheets skip before looking for one) is
 * prefixed with a single quote, as OWASP's CSV injection advice says, so it opens as text.
 */
export function csvCell(value: string | number | boolean | Date | null | undefined): string {
  const text = value instanceof Date ? value.toISOString() : String(value ?? "");
  const inert = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${inert.replaceAll('"', '""')}"`;
}
