// Who is on the other end of a request. An X-Forwarded-For header is only as true as whoever wrote
// it: the client writes the leftmost entries, each proxy appends the address it saw. So the
// address is the nearest hop not run by us, walking from the socket's peer back through the
// entries our own trusted proxies appended. With no trusted proxy (the default), it is the peer.
import ipaddr from "ipaddr.js";

export type TrustedProxies = ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>;

/** `10.0.0.0/8, 192.168.1.7, fd00::/8` → CIDR ranges; throws naming an entry that is neither. */
export function parseTrustedProxies(list: string): TrustedProxies {
  return list
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      if (entry.includes("/")) return ipaddr.parseCIDR(entry);
      if (!ipaddr.isValid(entry)) throw new Error(`"${entry}" is not an IP address or CIDR range`);
      const address = ipaddr.parse(entry);
      return [address, address.kind() === "ipv4" ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number];
    });
}

function normalised(address: string) {
  return ipaddr.isValid(address) ? ipaddr.process(address) : undefined;
}

function isTrusted(address: ipaddr.IPv4 | ipaddr.IPv6, trusted: TrustedProxies) {
  return trusted.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits));
}

/** The client's address: `peer` (the socket's remote address), or what trusted proxies say before it. */
export function clientAddress(peer: string, forwardedFor: string | undefined, trusted: TrustedProxies): string {
  const hops = [...(forwardedFor?.split(",").map((hop) => hop.trim()) ?? []), peer];
  let client = normalised(peer);
  if (!client) return peer;
  for (let index = hops.length - 1; index >= 0 && isTrusted(client, trusted); index--) {
    const previous = index > 0 ? normalised(hops[index - 1]!) : undefined;
    if (!previous) break;
    client = previous;
  }
  return client.toString();
}
