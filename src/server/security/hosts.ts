import { networkInterfaces, hostname } from "node:os";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || host.startsWith("127.");
}

/** The host names a browser may legitimately put in `Host` for a server bound to `bindHost`. */
export function allowedHostNames(bindHost: string, extra: string[] = []): Set<string> {
  const names = new Set(["localhost", "127.0.0.1", "[::1]", ...extra.map((h) => h.toLowerCase())]);
  if (isWildcard(bindHost)) {
    for (const address of interfaceAddresses()) names.add(address);
    names.add(hostname().toLowerCase());
  } else {
    names.add(bracketIpv6(bindHost.toLowerCase()));
  }
  return names;
}

function isWildcard(host: string): boolean {
  return host === "0.0.0.0" || host === "::" || host === "[::]";
}

function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .map((info) => bracketIpv6(info.address.toLowerCase()));
}

function bracketIpv6(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

/** `example.com:8765` → `example.com`; `[::1]:8765` → `[::1]`. */
export function hostNameOf(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith("[")) return value.slice(0, value.indexOf("]") + 1);
  const colon = value.lastIndexOf(":");
  return colon === -1 ? value : value.slice(0, colon);
}
