// Which addresses a destination may be sent to: only public unicast ones, unless private targets are allowed.
import { isIPv6 } from "node:net";
import ipaddr from "ipaddr.js";

type IPv4 = ipaddr.IPv4;

/** The cloud providers' instance metadata services, which hand out credentials to whoever asks. */
const metadataAddresses = ["169.254.169.254", "fd00:ec2::254"].map((address) => ipaddr.parse(address).toNormalizedString());

const ipv4Kinds: Partial<Record<ReturnType<IPv4["range"]>, string>> = {
  loopback: "a loopback address (this machine)",
  private: "a private network address",
  linkLocal: "a link-local address",
  carrierGradeNat: "a carrier-grade NAT address (100.64.0.0/10)",
  unspecified: "an unspecified address (0.0.0.0/8)",
  multicast: "a multicast address",
  broadcast: "the broadcast address",
};

const ipv6Kinds: Partial<Record<ReturnType<ipaddr.IPv6["range"]>, string>> = {
  loopback: "a loopback address (this machine)",
  uniqueLocal: "a private network address (fc00::/7)",
  linkLocal: "a link-local address",
  unspecified: "an unspecified address",
  multicast: "a multicast address",
};

/** IPv6 forms that carry an IPv4 address in their last 32 bits, and reach it. */
const embedsIPv4 = ["ipv4Mapped", "rfc6145"];
/** The well-known NAT64 prefix (RFC 6052); a translator reaches the IPv4 address in the last 32 bits. */
const nat64 = ipaddr.parseCIDR("64:ff9b::/96");

function ipv4Refusal(address: IPv4): string | null {
  const range = address.range();
  if (range === "unicast") return null;
  return ipv4Kinds[range] ?? `a reserved address (${range})`;
}

/**
 * Why a destination may not be sent to this IP address, in words for its owner, or null when it is
 * a public unicast address. Anything not public is refused: loopback, private (RFC 1918, fc00::/7),
 * link-local, cloud metadata, carrier-grade NAT, 0.0.0.0/8, multicast, broadcast, reserved and
 * documentation ranges, and IPv6 forms of those (IPv4-mapped, NAT64, 6to4, Teredo).
 */
export function targetAddressRefusal(address: string): string | null {
  if (!ipaddr.isValid(address)) return "not an IP address";
  // ipaddr.js reads any IPv6 written with a dotted tail (::127.0.0.1) as IPv4-mapped; the
  // connection would go to ::7f00:1. Written in hex first, the address is read as it is reached.
  const withoutZone = address.replace(/%.*$/, "");
  const parsed = ipaddr.parse(isIPv6(withoutZone) ? new URL(`http://[${withoutZone}]/`).hostname.slice(1, -1) : withoutZone);
  if (metadataAddresses.includes(parsed.toNormalizedString())) return "the cloud metadata address";
  if (parsed.kind() === "ipv4") return ipv4Refusal(parsed as IPv4);

  const ipv6 = parsed as ipaddr.IPv6;
  const range = ipv6.range();
  if (range === "rfc6052" && !ipv6.match(nat64)) return "a local-use NAT64 address (64:ff9b:1::/48)";
  if (embedsIPv4.includes(range) || range === "rfc6052") {
    const embedded = ipaddr.fromByteArray(ipv6.toByteArray().slice(12)) as IPv4;
    if (metadataAddresses.includes(embedded.toNormalizedString())) return "the cloud metadata address";
    return ipv4Refusal(embedded);
  }
  // ::a.b.c.d, deprecated "IPv4-compatible" addresses: never a real destination.
  if (range === "unicast" && ipv6.parts.slice(0, 6).every((part) => part === 0)) return "an IPv4-compatible address (::/96)";
  if (range === "unicast") return null;
  return ipv6Kinds[range] ?? `a reserved address (${range})`;
}
