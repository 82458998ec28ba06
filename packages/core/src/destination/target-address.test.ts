import { describe, expect, it } from "vitest";
import { targetAddressRefusal } from "./target-address";

describe("the addresses a destination may be sent to", () => {
  it.each(["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "2a00:1450:4007:80e::200e", "::ffff:8.8.8.8", "64:ff9b::808:808"])(
    "%s, a public address, is allowed",
    (address) => {
      expect(targetAddressRefusal(address)).toBeNull();
    },
  );

  it.each([
    ["127.0.0.1", "a loopback address (this machine)"],
    ["127.8.9.10", "a loopback address (this machine)"],
    ["::1", "a loopback address (this machine)"],
    ["10.0.0.1", "a private network address"],
    ["172.16.5.4", "a private network address"],
    ["172.31.255.255", "a private network address"],
    ["192.168.1.1", "a private network address"],
    ["fc00::1", "a private network address (fc00::/7)"],
    ["fd12:3456:789a::1", "a private network address (fc00::/7)"],
    ["169.254.169.254", "the cloud metadata address"],
    ["fd00:ec2::254", "the cloud metadata address"],
    ["169.254.10.20", "a link-local address"],
    ["fe80::1", "a link-local address"],
    ["fe80::1%eth0", "a link-local address"],
    ["100.64.0.1", "a carrier-grade NAT address (100.64.0.0/10)"],
    ["100.127.255.254", "a carrier-grade NAT address (100.64.0.0/10)"],
    ["0.0.0.0", "an unspecified address (0.0.0.0/8)"],
    ["0.1.2.3", "an unspecified address (0.0.0.0/8)"],
    ["::", "an unspecified address"],
    ["224.0.0.1", "a multicast address"],
    ["ff02::1", "a multicast address"],
    ["255.255.255.255", "the broadcast address"],
    ["192.0.2.10", "a reserved address (reserved)"],
    ["240.0.0.1", "a reserved address (reserved)"],
    ["::ffff:127.0.0.1", "a loopback address (this machine)"],
    ["::ffff:10.0.0.1", "a private network address"],
    ["::ffff:169.254.169.254", "the cloud metadata address"],
    ["64:ff9b::7f00:1", "a loopback address (this machine)"],
    ["64:ff9b:1::a00:1", "a local-use NAT64 address (64:ff9b:1::/48)"],
    ["::127.0.0.1", "an IPv4-compatible address (::/96)"],
    ["::8.8.8.8", "an IPv4-compatible address (::/96)"],
    ["64:ff9b::10.1.2.3", "a private network address"],
    ["2002:7f00:1::1", "a reserved address (6to4)"],
    ["2001:db8::1", "a reserved address (reserved)"],
    ["example.com", "not an IP address"],
  ])("%s is refused as %s", (address, refusal) => {
    expect(targetAddressRefusal(address)).toBe(refusal);
  });
});
