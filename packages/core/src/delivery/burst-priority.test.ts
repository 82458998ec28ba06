import { describe, expect, it } from "vitest";
import { createBurstPriority } from "./burst-priority";

describe("burst priority", () => {
  it("leaves a workspace within its budget unprioritized, and ranks one over it lower the further over it is", () => {
    let clock = 0;
    const priorityOf = createBurstPriority({ budget: 3, windowMs: 10_000, now: () => clock });
    expect([1, 2, 3, 4, 5, 6, 7].map(() => priorityOf("burst"))).toEqual([undefined, undefined, undefined, 1, 1, 1, 2]);
    // Another workspace is not slowed by the burst.
    expect(priorityOf("quiet")).toBeUndefined();
    // A new window starts the count again.
    clock = 10_000;
    expect(priorityOf("burst")).toBeUndefined();
  });
});
