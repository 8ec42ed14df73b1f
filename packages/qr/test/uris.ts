/**
 * @module
 * Provisioning URIs the round-trip tests render and decode, written out by hand so the expected text
 * does not come from the code under test.
 */

/** A 20-byte secret (RFC 4226 App. D's "12345678901234567890") in base32. */
export const SECRET_20 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

export const URIS: ReadonlyArray<{ name: string; uri: string }> = [
  {
    name: 'plain TOTP with issuer',
    uri: `otpauth://totp/Acme:alice%40example.com?secret=${SECRET_20}&issuer=Acme`,
  },
  {
    name: 'HOTP with counter',
    uri: `otpauth://hotp/Acme:bob?secret=${SECRET_20}&issuer=Acme&counter=42&algorithm=SHA1&digits=6`,
  },
  {
    name: 'percent-encoded unicode issuer and account',
    uri:
      `otpauth://totp/${encodeURIComponent('Société Générale')}:${encodeURIComponent('zoë@例え.jp')}` +
      `?secret=${SECRET_20}&issuer=${encodeURIComponent('Société Générale')}`,
  },
  {
    name: 'raw unicode label (IRI) with an emoji, encoded as UTF-8',
    uri: `otpauth://totp/Bücherei%20🔐:jürgen?secret=${SECRET_20}&issuer=Bücherei`,
  },
  {
    // RFC 6238 App. A's SHA-512 seed ("1234567890" repeated to 64 bytes) in base32.
    name: 'SHA512, 8 digits, 60 s period and a 64-byte secret',
    uri:
      'otpauth://totp/Example%20Bank:carol?secret=' +
      'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA' +
      '&issuer=Example%20Bank&algorithm=SHA512&digits=8&period=60',
  },
];
