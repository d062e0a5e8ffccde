import "server-only";
import { BlockList, isIP } from "node:net";
import { config } from "@/lib/config";

/**
 * The address the connection came from, as scripts/server.mjs stamped it; a client cannot
 * set this header because the server overwrites it on every request.
 */
export const PEER_ADDRESS_HEADER = "x-leadgram-peer-address";

function normalise(address: string): string {
  const trimmed = address.trim();
  return trimmed.startsWith("::ffff:") && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
}

export function buildTrustedProxyList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    if (entry === "loopback") {
      list.addSubnet("127.0.0.0", 8, "ipv4");
      list.addAddress("::1", "ipv6");
      continue;
    }
    // Entries were validated with the configuration (lib/config.ts).
    const [address = "", prefix] = entry.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
}

/**
 * Walks X-Forwarded-For from the right while the hop is a trusted proxy: the first
 * untrusted hop is the client. Entries left of it were written by the client and may lie.
 */
export function resolveClientIp(peerAddress: string | null, forwardedFor: string | null, trusted: BlockList): string {
  if (!peerAddress) return "unknown";
  let client = normalise(peerAddress);
  const hops = (forwardedFor ?? "").split(",").map(normalise).filter(Boolean);
  while (isTrusted(trusted, client) && hops.length > 0) {
    const next = hops.pop() as string;
    if (isIP(next) === 0) break;
    client = next;
  }
  return client;
}

let trustedProxies: BlockList | undefined;

export function clientIp(req: Request): string {
  trustedProxies ??= buildTrustedProxyList(config().trustedProxies);
  return resolveClientIp(req.headers.get(PEER_ADDRESS_HEADER), req.headers.get("x-forwarded-for"), trustedProxies);
}
