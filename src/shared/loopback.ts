import { isIPv4, isIPv6 } from 'node:net';

/**
 * 127.0.0.0/8, ::1 (in any spelling) or `localhost`; `address` is bare or in brackets (`[::1]`).
 * `0.0.0.0` and `::` are not: listening on them reaches every interface.
 */
export function isLoopback(address: string): boolean {
  const host = address.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost') return true;
  if (isIPv4(host)) return host.startsWith('127.');
  if (isIPv6(host)) return new URL(`http://[${host}]`).hostname === '[::1]';
  return false;
}
