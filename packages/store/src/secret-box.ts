/**
 * @module
 * `SecretBox`: OTP secrets encrypted at rest with AES-256-GCM (NIST SP 800-38D) under a key ring. The
 * key id travels with the ciphertext and the associated data binds it to its user and credential, so a
 * ciphertext copied into another record does not open (checklist B6, B7).
 */
import { SecondFactorError } from '@secondfactor/core';
import { aesGcm } from './aes-gcm';
import { decodeBase64url, encodeBase64url } from './base64url';

/** Version prefix of the sealed format `sf1.<keyId>.<base64url(nonce ‖ ciphertext ‖ tag)>`. */
const VERSION = 'sf1';
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const KEY_BYTES = 32;
// SP 800-38D §8.2.2: 96-bit random nonces; with one key, stay well below 2^32 seals (rotate keys).
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Smallest and largest plaintext: RFC 4226 R6 asks for at least 128-bit secrets; 256 bytes bounds the row. */
const MIN_PLAINTEXT = 16;
const MAX_PLAINTEXT = 256;

/**
 * What a sealed secret is bound to.
 *
 * @example
 * ```ts
 * import { type SecretBinding, SecretBox } from '@secondfactor/store';
 *
 * const binding: SecretBinding = { userId: 'user-1', credentialId: 'cred-1' };
 * const sealed = new SecretBox({ keys: { k1: key }, currentKeyId: 'k1' }).seal(secret, binding);
 * ```
 */
export interface SecretBinding {
  userId: string;
  credentialId: string;
}

/**
 * Options of {@link SecretBox}.
 *
 * @example
 * ```ts
 * import { SecretBox, type SecretBoxOptions } from '@secondfactor/store';
 *
 * const options: SecretBoxOptions = { keys: { '2025-11': keyFromYourKms }, currentKeyId: '2025-11' };
 * const box = new SecretBox(options);
 * ```
 */
export interface SecretBoxOptions {
  /** Key ring: key id → 32-byte AES-256 key. Keep retired keys here until {@link rotateStoreSecrets} is done. */
  keys: Readonly<Record<string, Uint8Array>>;
  /** Id of the key new secrets are sealed with. */
  currentKeyId: string;
}

const encoder = new TextEncoder();

const invalid = (message: string): never => {
  throw new SecondFactorError('invalid_argument', message);
};

function lengthPrefixed(parts: readonly string[]): Uint8Array {
  const encoded = parts.map((part) => encoder.encode(part));
  const out = new Uint8Array(encoded.reduce((sum, part) => sum + 4 + part.length, 0));
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const part of encoded) {
    view.setUint32(offset, part.length);
    out.set(part, offset + 4);
    offset += 4 + part.length;
  }
  return out;
}

// Associated data: format version, key id, user id and credential id, each length-prefixed so no two
// different tuples share an encoding ("ab"+"c" vs "a"+"bc").
function associatedData(keyId: string, binding: SecretBinding): Uint8Array {
  if (typeof binding !== 'object' || binding === null) invalid('binding must be { userId, credentialId }');
  for (const name of ['userId', 'credentialId'] as const) {
    const value = binding[name];
    if (typeof value !== 'string' || value === '' || value.length > 255)
      invalid(`binding.${name} must be a non-empty id`);
  }
  return lengthPrefixed([VERSION, keyId, binding.userId, binding.credentialId]);
}

interface Parsed {
  keyId: string;
  payload: Uint8Array;
}

function parse(ciphertext: string): Parsed {
  if (typeof ciphertext !== 'string') return invalid('ciphertext must be a string');
  const [version, keyId, body, ...rest] = ciphertext.split('.');
  const payload = body === undefined ? null : decodeBase64url(body);
  if (
    version !== VERSION ||
    keyId === undefined ||
    !KEY_ID.test(keyId) ||
    rest.length > 0 ||
    payload === null
  ) {
    return invalid('ciphertext must be a ciphertext produced by SecretBox.seal');
  }
  if (payload.length < NONCE_BYTES + TAG_BYTES + MIN_PLAINTEXT) invalid('ciphertext is too short');
  return { keyId, payload };
}

/**
 * Seals and opens OTP secrets with AES-256-GCM. Adapters only ever receive the sealed string. Nonces
 * come from `crypto.getRandomValues` only; there is no option to inject another source.
 *
 * @example
 * ```ts
 * import { SecretBox } from '@secondfactor/store';
 *
 * const box = new SecretBox({ keys: { '2025-11': crypto.getRandomValues(new Uint8Array(32)) }, currentKeyId: '2025-11' });
 * const binding = { userId: 'user-1', credentialId: 'cred-1' };
 * const sealed = box.seal(crypto.getRandomValues(new Uint8Array(20)), binding); // 'sf1.2025-11.…'
 * const secret = box.open(sealed, binding); // the 20 bytes
 * ```
 */
export class SecretBox {
  /** Id of the key new secrets are sealed with. */
  readonly currentKeyId: string;
  private readonly keys: ReadonlyMap<string, Uint8Array>;

  /**
   * @throws {SecondFactorError} `invalid_argument` for a bad key ring or current key id, or a `random`
   * option (nonces come from Web Crypto only).
   */
  constructor(options: SecretBoxOptions) {
    if (typeof options !== 'object' || options === null) invalid('options must be an object');
    if (typeof options.keys !== 'object' || options.keys === null) invalid('options.keys must be an object');
    const keys = new Map<string, Uint8Array>();
    for (const [keyId, key] of Object.entries(options.keys)) {
      if (!KEY_ID.test(keyId))
        invalid('options.keys: a key id must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -');
      if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
        invalid(`options.keys.${keyId} must be a Uint8Array of exactly ${KEY_BYTES} bytes`);
      }
      // Copied, so a caller wiping or reusing its array cannot change the ring.
      keys.set(keyId, Uint8Array.from(key));
    }
    if (typeof options.currentKeyId !== 'string' || !keys.has(options.currentKeyId)) {
      invalid('options.currentKeyId must name a key of options.keys');
    }
    // Nonces come from Web Crypto only: an injected source that repeats (a constant one in a test left in
    // production) would reuse AES-GCM nonces under one key, which reveals plaintexts and the auth key.
    if ((options as { random?: unknown }).random !== undefined) {
      invalid('options.random is not accepted: SecretBox draws its nonces from crypto.getRandomValues');
    }
    this.keys = keys;
    this.currentKeyId = options.currentKeyId;
  }

  /** Ids of the keys in the ring. */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /**
   * Encrypts `plaintext` (16 to 256 bytes) under the current key, bound to `binding`.
   *
   * @throws {SecondFactorError} `invalid_argument` for a plaintext of the wrong size or a bad binding.
   */
  seal(plaintext: Uint8Array, binding: SecretBinding): string {
    if (
      !(plaintext instanceof Uint8Array) ||
      plaintext.length < MIN_PLAINTEXT ||
      plaintext.length > MAX_PLAINTEXT
    ) {
      invalid(`plaintext must be a Uint8Array of ${MIN_PLAINTEXT} to ${MAX_PLAINTEXT} bytes`);
    }
    const keyId = this.currentKeyId;
    const aad = associatedData(keyId, binding);
    // SP 800-38D §8.2.2: a fresh 96-bit nonce from the platform CSPRNG for every seal.
    const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
    const sealed = aesGcm.seal(this.keys.get(keyId)!, nonce, aad, plaintext);
    const payload = new Uint8Array(NONCE_BYTES + sealed.length);
    payload.set(nonce);
    payload.set(sealed, NONCE_BYTES);
    return `${VERSION}.${keyId}.${encodeBase64url(payload)}`;
  }

  /**
   * Decrypts a sealed secret for the user and credential it was sealed for.
   *
   * @throws {SecondFactorError} `unknown_key` when its key is not in the ring; `decrypt_failed` when it was
   * tampered with, sealed for another binding or under another key of the same id; `invalid_argument`
   * when it is not a sealed secret at all.
   */
  open(ciphertext: string, binding: SecretBinding): Uint8Array {
    const { keyId, payload } = parse(ciphertext);
    const aad = associatedData(keyId, binding);
    const key = this.keys.get(keyId);
    if (key === undefined)
      throw new SecondFactorError(
        'unknown_key',
        `ciphertext was sealed under key ${keyId}, which is not in the key ring`,
      );
    try {
      return aesGcm.open(key, payload.subarray(0, NONCE_BYTES), aad, payload.subarray(NONCE_BYTES));
    } catch {
      // No cause attached: the library's error says nothing useful and the message stays free of secrets.
      throw new SecondFactorError(
        'decrypt_failed',
        'ciphertext could not be decrypted for this user and credential',
      );
    }
  }

  /** Id of the key a sealed secret was sealed under. */
  keyIdOf(ciphertext: string): string {
    return parse(ciphertext).keyId;
  }

  /** True when the secret was sealed under another key than the current one. */
  needsRotation(ciphertext: string): boolean {
    return this.keyIdOf(ciphertext) !== this.currentKeyId;
  }

  /**
   * The secret re-sealed under the current key (opened first, so a broken one throws rather than being
   * carried forward). Returns the input unchanged when it is already under the current key.
   */
  rotate(ciphertext: string, binding: SecretBinding): string {
    const plaintext = this.open(ciphertext, binding);
    try {
      return this.needsRotation(ciphertext) ? this.seal(plaintext, binding) : ciphertext;
    } finally {
      plaintext.fill(0);
    }
  }
}
