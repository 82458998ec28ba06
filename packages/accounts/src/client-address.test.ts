import { describe, expect, test } from "vitest";
import { clientAddress, parseTrustedProxies } from "./client-address";

describe("clientAddress", () => {
  const none = parseTrustedProxies("");
  const balancer = parseTrustedProxies("10.0.0.0/8, fd00::/8");

  test("with no trusted proxy, a client's X-Forwarded-For is ignored: the peer is the client", () => {
    expect(clientAddress("203.0.113.9", "198.51.100.1", none)).toBe("203.0.113.9");
    expect(clientAddress("203.0.113.9", "198.51.100.1, 198.51.100.2", none)).toBe("203.0.113.9");
  });

  test("behind a trusted proxy, the hop it saw is the client, not what the client wrote before it", () => {
    expect(clientAddress("10.0.0.5", "1.2.3.4, 198.51.100.7", balancer)).toBe("198.51.100.7");
    expect(clientAddress("10.0.0.5", "198.51.100.7, 10.2.2.2", balancer)).toBe("198.51.100.7");
  });

  test("a request straight to the server from outside is its own client even when it names a trusted proxy", () => {
    expect(clientAddress("203.0.113.9", "10.0.0.5", balancer)).toBe("203.0.113.9");
  });

  test("a malformed entry stops the walk at the last address known", () => {
    expect(clientAddress("10.0.0.5", "1.2.3.4, not-an-ip", balancer)).toBe("10.0.0.5");
  });

  test("IPv4-mapped IPv6 peers read as IPv4", () => {
    expect(clientAddress("::ffff:127.0.0.1", undefined, none)).toBe("127.0.0.1");
  });

  test("a trusted-proxy list that is not addresses is refused", () => {
    expect(() => parseTrustedProxies("10.0.0.0/8, load-balancer")).toThrow('"load-balancer" is not an IP address or CIDR range');
  });
});
