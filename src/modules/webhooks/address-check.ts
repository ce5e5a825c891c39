import { lookup } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may not go unless the operator allows private networks (WEBHOOKS_ALLOW_PRIVATE_NETWORKS): the
 * machine itself, private and shared networks, link-local (cloud metadata at 169.254.169.254), multicast and
 * reserved ranges — so a business user cannot make Portico call into its own network (SSRF).
 */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** Whether an address is on the public internet. IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is judged as the IPv4. */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return isPublicAddress(mapped[1]);
  const family = isIP(address);
  if (family === 0) return false;
  return !PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why an endpoint URL is refused, or null: https (http only where private networks are allowed), no credentials. */
export function urlProblem(url: string, allowPrivate: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'enter a full address such as https://example.com/webhooks/portico';
  }
  if (parsed.protocol !== 'https:' && !(allowPrivate && parsed.protocol === 'http:')) return 'use an https address';
  if (parsed.username || parsed.password) return 'leave user names and passwords out of the address';
  if (allowPrivate) return null;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'this address is not on the public internet';
  if (isIP(host) && !isPublicAddress(host)) return 'this address is not on the public internet';
  return null;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | Array<{ address: string; family: number }>,
  family?: number,
) => void;

/**
 * `lookup` for http(s).request: resolves the name and refuses to connect when any address it resolves to is not
 * public — checked on the address actually connected to, so a name that resolves elsewhere at delivery time than at
 * registration (DNS rebinding) is still caught.
 */
export function publicOnlyLookup(hostname: string, options: object, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '');
    const list = addresses as Array<{ address: string; family: number }>;
    const refused = list.find((entry) => !isPublicAddress(entry.address));
    if (refused) {
      const problem = Object.assign(
        new Error(`${hostname} resolves to ${refused.address}, which is not a public address`),
        {
          code: 'EADDRNOTPUBLIC',
        },
      );
      return callback(problem, '');
    }
    if ((options as { all?: boolean }).all) return callback(null, list);
    const first = list[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
    callback(null, first.address, first.family);
  });
}
