import { describe, expect, it } from "vitest";
import { SECRET_ROTATION_GRACE_MS, graceEndsAt, rotationDropsSecretInGrace } from "./secret-rotation";

const now = new Date("2026-12-01T14:02:00Z");

describe("a second rotation inside the grace", () => {
  it("drops the replaced secret while it is still in use", () => {
    expect(rotationDropsSecretInGrace(new Date(now.getTime() + 1), now)).toBe(true);
    expect(rotationDropsSecretInGrace(graceEndsAt(new Date(now.getTime() - 60_000)), now)).toBe(true);
  });

  it("drops nothing once the grace is over, or when no secret was replaced", () => {
    expect(rotationDropsSecretInGrace(now, now)).toBe(false);
    expect(rotationDropsSecretInGrace(graceEndsAt(new Date(now.getTime() - SECRET_ROTATION_GRACE_MS - 1)), now)).toBe(false);
    expect(rotationDropsSecretInGrace(null, now)).toBe(false);
  });

  it("lasts 24 hours from the rotation", () => {
    expect(graceEndsAt(now)).toEqual(new Date("2026-12-02T14:02:00Z"));
  });
});
