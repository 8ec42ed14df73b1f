/**
 * @module
 * The trusted-device cookie ("remember this browser"): read from the `Cookie` header, written as an
 * `HttpOnly`, `SameSite=Lax` cookie that lives as long as the service's token.
 */
import { type HttpHeaders, header } from './request';

/**
 * The trusted-device cookie's name and attributes.
 *
 * @example
 * ```ts
 * import type { TrustedDeviceCookie } from '@secondfactor/http';
 *
 * const cookie: TrustedDeviceCookie = { name: 'acme_trusted', secure: true, path: '/' };
 * ```
 */
export interface TrustedDeviceCookie {
  /** @default 'sf_trusted' */
  name?: string | undefined;
  /**
   * Sent over HTTPS only; turn off for plain-HTTP development only.
   * @default true
   */
  secure?: boolean | undefined;
  /** @default '/' */
  path?: string | undefined;
}

/** The cookie's settings with their defaults. @internal */
export interface ResolvedCookie {
  name: string;
  secure: boolean;
  path: string;
}

/** The value of cookie `name` in the request, `undefined` when absent. @internal */
export function readCookie(headers: HttpHeaders, name: string): string | undefined {
  const cookieHeader = header(headers, 'cookie');
  if (cookieHeader === undefined) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A `Set-Cookie` value; `expiresAt` in the past removes the cookie. @internal */
export function setCookie(options: ResolvedCookie, value: string, expiresAt: number): string {
  const attributes = [
    `${options.name}=${encodeURIComponent(value)}`,
    `Path=${options.path}`,
    `Expires=${new Date(expiresAt).toUTCString()}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (options.secure) attributes.push('Secure');
  return attributes.join('; ');
}
