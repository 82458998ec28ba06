import { expect, test } from "vitest";
import { refusalCauses, refusalExplanations } from "./refusal-cause";

test("every refusal cause is explained: what was wrong, the likely reason and the fix", () => {
  expect(Object.keys(refusalExplanations).sort()).toEqual([...refusalCauses].sort());
  for (const cause of refusalCauses) {
    const { what, likely, fix } = refusalExplanations[cause];
    expect(what.length && likely.length && fix.length, cause).toBeTruthy();
    // The fix is a sentence of its own; "what" completes "1 request …" as well as "41 requests …".
    expect(fix, cause).toMatch(/^[A-Z].*\.$/);
    expect(what, cause).not.toMatch(/^(was|were|is|are)\b/);
  }
});
