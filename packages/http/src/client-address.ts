/**
 * @module
 * The client's address, for rate-limit keys and for the "sign-in from" line of a push approval. It is
 * the TCP peer unless the host names its proxies: only then is `X-Forwarded-For` read, from the right,
 * past the trusted hops (checklist E7), so a client cannot choose its own key by sending the header.
 */
import { type HttpHeaders, header } from './request';

/**
 * Which peers are the host's own proxies: a list of addresses (`'127.0.0.1'`, `'::1'`), or a function of
 * the address. Absent: no proxy is trusted and `X-Forwarded-For` is ignored.
 *
 * @example
 * ```ts
 * import type { TrustProxy } from '@secondfactor/http';
 *
 * const trustProxy: TrustProxy = (address) => address.startsWith('10.0.');
 * ```
 */
export type TrustProxy = readonly string[] | ((address: string) => boolean);

/** `::ffff:127.0.0.1` and `127.0.0.1` are the same peer. @internal */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim();
  return trimmed.toLowerCase().startsWith('::ffff:') && trimmed.includes('.') ? trimmed.slice(7) : trimmed;
}

/**
 * The client's address: the peer, or, when the peer is a trusted proxy, the nearest address in
 * `X-Forwarded-For` that is not a trusted proxy.
 *
 * @example
 * ```ts
 * import { clientAddress } from '@secondfactor/http';
 *
 * clientAddress('10.0.0.5', { 'x-forwarded-for': '203.0.113.7' }, ['10.0.0.5']); // '203.0.113.7'
 * clientAddress('198.51.100.2', { 'x-forwarded-for': '203.0.113.7' }); // '198.51.100.2'
 * ```
 */
export function clientAddress(peer: string, headers: HttpHeaders, trustProxy?: TrustProxy): string {
  let address = normalizeAddress(peer);
  if (trustProxy === undefined) return address;
  const trusted = (candidate: string): boolean =>
    typeof trustProxy === 'function'
      ? trustProxy(candidate)
      : trustProxy.some((entry) => normalizeAddress(entry) === candidate);
  const forwarded = (header(headers, 'x-forwarded-for') ?? '')
    .split(',')
    .map((hop) => normalizeAddress(hop))
    .filter((hop) => hop !== '');
  while (trusted(address)) {
    const next = forwarded.pop();
    if (next === undefined) break;
    address = next;
  }
  return address;
}
