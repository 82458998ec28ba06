// The per-key limit, kept in Redis: a low one here, so the test reaches it in a few requests.
import { describe, expect } from "vitest";
import { test } from "./api-harness";

type ErrorBody = { error: { type: string } };

test.override("apiRateLimit", "3");

describe("rate limit", () => {
  test("past its limit a key is answered 429 with Retry-After, and each answer says where it stands", async ({
    api,
    newWorkspace,
  }) => {
    const acme = await newWorkspace();
    const key = await acme.key(true);
    const answers = [];
    for (let request = 0; request < 4; request++) answers.push(await api.get("/v1/endpoints", key));
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 429]);
    expect(answers.map((answer) => answer.headers["ratelimit-remaining"])).toEqual(["2", "1", "0", "0"]);
    expect(answers[0]!.headers["ratelimit-limit"]).toBe("3");
    const refused = answers[3]!;
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(refused.headers["retry-after"])).toBeLessThanOrEqual(60);
    expect(Number(refused.headers["ratelimit-reset"])).toBe(Number(refused.headers["retry-after"]));
    expect(refused.json<ErrorBody>().error.type).toBe("rate_limited");
    // Another key, even of the same workspace, has a count of its own.
    expect((await api.get("/v1/endpoints", await acme.key(true))).statusCode).toBe(200);
  });
});
