import { lookup } from "node:dns/promises";
import type { LookupAddress } from "node:dns";
import { isIP } from "node:net";
import { destinationUrlSchema, type DestinationUrlRules } from "@hookloop/domain";
import { targetAddressRefusal } from "./target-address";

export type DestinationTarget =
  | {
      ok: true;
      url: URL;
      /** The host name without the brackets of an IPv6 literal. */
      hostname: string;
      /** Every address the host resolved to, each checked: the connection goes to these and no others. */
      addresses: LookupAddress[];
    }
  | { ok: false; problem: "invalid-url" | "refused" | "dns"; message: string };

const publicOnly = "Hookloop sends messages only to public addresses unless private targets are allowed.";

/**
 * Checks a destination URL and the addresses its host resolves to right now. Send with exactly
 * these addresses (never resolve again), so a name that changes its answer between the check and
 * the connection — DNS rebinding — cannot reach a refused address.
 */
export async function resolveDestinationTarget(rawUrl: string, rules: DestinationUrlRules): Promise<DestinationTarget> {
  const parsed = destinationUrlSchema(rules).safeParse(rawUrl);
  if (!parsed.success) return { ok: false, problem: "invalid-url", message: parsed.error.issues[0]?.message ?? "Invalid URL." };
  const url = new URL(parsed.data);
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");

  let addresses: LookupAddress[];
  if (isIP(hostname)) {
    addresses = [{ address: hostname, family: isIP(hostname) }];
  } else {
    try {
      addresses = await lookup(hostname, { all: true });
    } catch {
      return { ok: false, problem: "dns", message: `DNS lookup failed for ${hostname}` };
    }
    if (addresses.length === 0) return { ok: false, problem: "dns", message: `DNS lookup failed for ${hostname}` };
  }

  if (!rules.allowPrivateTargets) {
    for (const { address } of addresses) {
      const refusal = targetAddressRefusal(address);
      if (!refusal) continue;
      const what = address === hostname ? `${address} is ${refusal}` : `${hostname} resolves to ${address}, ${refusal}`;
      return { ok: false, problem: "refused", message: `Refused: ${what}. ${publicOnly}` };
    }
  }
  return { ok: true, url, hostname, addresses };
}
