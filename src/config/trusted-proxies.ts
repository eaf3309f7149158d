import proxyAddr from '@fastify/proxy-addr';
import { commaList, optionalString } from './env-values.ts';

/**
 * TRUST_PROXY: the reverse proxies in front of the service, whose `X-Forwarded-For`,
 * `X-Forwarded-Proto` and `X-Forwarded-Host` are believed. Each entry is an address, a CIDR range
 * or one of proxy-addr's names (`loopback`, `linklocal`, `uniquelocal`), the forms Fastify's own
 * `trustProxy` takes, checked here by the same library so that a typo stops the start instead of
 * trusting nothing (or everything). A hop count and `true` are refused: both would believe a
 * client that reaches the port directly and names its own address.
 */

function problemOf(entry: string): string | undefined {
  if (entry === '*' || entry === 'true' || /^\d+$/.test(entry)) {
    return `"${entry}" would believe any client that reaches the port about its own address; list the proxies' addresses`;
  }
  try {
    proxyAddr.compile(entry);
    return undefined;
  } catch {
    return `"${entry}" is not an IP address, a CIDR range (10.0.0.0/8) or loopback, linklocal, uniquelocal`;
  }
}

export const trustedProxyList = optionalString.transform((value, ctx) => {
  const entries = [...new Set(commaList(value))];
  for (const entry of entries) {
    const problem = problemOf(entry);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: value });
  }
  return entries;
});

/** Whether the hop at `addr` (0: the peer of the socket) is one of the proxies. */
export type TrustProxy = (addr: string, hop: number) => boolean;

/** The list as a function Fastify's `trustProxy` and the request guard both use; undefined for none. */
export function compileTrustProxy(entries: readonly string[]): TrustProxy | undefined {
  return entries.length === 0 ? undefined : proxyAddr.compile([...entries]);
}
