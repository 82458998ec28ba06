import { describe, expect, test } from "vitest";
import { passwordProblem } from "./password-policy";

describe("passwordProblem", () => {
  const olivia = { email: "olivia.owner@acme.test", name: "Olivia Owner" };

  test.each([
    ["ten spaces", "          "],
    ["a common password padded to length", "password12"],
    ["a common password dressed up", "Password123!"],
    ["a keyboard walk", "qwertyuiop"],
    ["the person's own name and a year", "olivia.owner2026"],
  ])("refuses %s, saying why", (_what, password) => {
    expect(passwordProblem(password, olivia)).toMatch(/^That password is too easy to guess\./);
  });

  test("refuses what is too short or too long, naming the length", () => {
    expect(passwordProblem("Xk9#qv", olivia)).toBe("Use at least 10 characters.");
    expect(passwordProblem("x".repeat(129), olivia)).toBe("Use at most 128 characters.");
  });

  test.each(["correct horse battery staple", "plum velvet orbit 19", "tr0ub4dor&3x"])("accepts %s", (password) => {
    expect(passwordProblem(password, olivia)).toBeUndefined();
  });
});
