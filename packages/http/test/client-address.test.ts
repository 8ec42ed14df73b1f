/**
 * The client's address (checklist E7): the TCP peer unless the peer is a trusted proxy; then the nearest
 * forwarded address that is not one. A client cannot pick its own rate-limit key.
 */
import { clientAddress } from '@secondfactor/http';
import { describe, expect, it } from 'vitest';

describe('clientAddress', () => {
  it('E7: without trusted proxies X-Forwarded-For is ignored', () => {
    expect(clientAddress('198.51.100.2', { 'x-forwarded-for': '203.0.113.7' })).toBe('198.51.100.2');
  });

  it('E7: a trusted proxy passes on the address it saw; a client-sent value before it is ignored', () => {
    const headers = { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' };
    expect(clientAddress('10.0.0.5', headers, ['10.0.0.5'])).toBe('203.0.113.7');
  });

  it('E7: several trusted hops are walked from the right', () => {
    const headers = { 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 10.0.0.9' };
    expect(clientAddress('10.0.0.5', headers, (address) => address.startsWith('10.'))).toBe('203.0.113.7');
  });

  it('E7: a peer that is not trusted is the client, whatever it forwards', () => {
    expect(clientAddress('198.51.100.2', { 'x-forwarded-for': '203.0.113.7' }, ['10.0.0.5'])).toBe(
      '198.51.100.2',
    );
  });

  it('IPv4-mapped IPv6 peers compare as IPv4', () => {
    expect(clientAddress('::ffff:127.0.0.1', {})).toBe('127.0.0.1');
    expect(clientAddress('::ffff:127.0.0.1', { 'x-forwarded-for': '203.0.113.7' }, ['127.0.0.1'])).toBe(
      '203.0.113.7',
    );
  });

  it('a trusted proxy without the header leaves the proxy as the client', () => {
    expect(clientAddress('10.0.0.5', {}, ['10.0.0.5'])).toBe('10.0.0.5');
  });
});
