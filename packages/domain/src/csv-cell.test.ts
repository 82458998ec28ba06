import { describe, expect, it } from "vitest";
import { csvCell } from "./csv-cell";

describe("a CSV cell", () => {
  it.each([
    ['=HYPERLINK("https://evil.example","open")', `"'=HYPERLINK(""https://evil.example"",""open"")"`],
    ["+1+cmd|' /C calc'!A0", `"'+1+cmd|' /C calc'!A0"`],
    ["-2+3", `"'-2+3"`],
    ["@SUM(A1:A9)", `"'@SUM(A1:A9)"`],
    ["\t=1+1", `"'\t=1+1"`],
    ["\r=1+1", `"'\r=1+1"`],
  ])("%j that a spreadsheet would run opens as text", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it.each([
    ["ada@example.com", `"ada@example.com"`],
    ['Ada "The Countess" Lovelace', `"Ada ""The Countess"" Lovelace"`],
    ["a=b", `"a=b"`],
    [" =1+1", `" =1+1"`],
    [true, `"true"`],
    [null, `""`],
    [new Date("2026-12-01T10:00:00Z"), `"2026-12-01T10:00:00.000Z"`],
  ])("%j is kept as it is, quoted", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });
});
