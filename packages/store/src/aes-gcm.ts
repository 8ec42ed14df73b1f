/**
 * @module
 * AES-256-GCM with a 96-bit nonce and a 128-bit tag, for `SecretBox`. Where the runtime offers
 * `node:crypto` (Node.js, Bun, Deno, through `process.getBuiltinModule`) its native cipher does the
 * work; elsewhere (a browser, a worker) the audited pure-JavaScript one from `@noble/ciphers`. Both
 * produce the same bytes, so a secret sealed by one opens with the other.
 */
import { gcm } from '@noble/ciphers/aes.js';

/** Seals and opens `ciphertext ‖ tag`; `open` throws when the tag does not verify. @internal */
export interface AesGcm {
  seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array;
}

const TAG_BYTES = 16;

/** The pure-JavaScript implementation. @internal */
export const nobleAesGcm: AesGcm = {
  seal: (key, nonce, aad, plaintext) => gcm(key, nonce, aad).encrypt(plaintext),
  open: (key, nonce, aad, sealed) => gcm(key, nonce, aad).decrypt(sealed),
};

type NodeCrypto = typeof import('node:crypto');

function builtinCrypto(): NodeCrypto | undefined {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    const crypto = runtime?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
    return typeof crypto?.createCipheriv === 'function' ? crypto : undefined;
  } catch {
    return undefined;
  }
}

function nodeImplementation(crypto: NodeCrypto): AesGcm {
  return {
    seal: (key, nonce, aad, plaintext) => {
      const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad);
      const body = cipher.update(plaintext);
      const last = cipher.final();
      const tag = cipher.getAuthTag();
      const out = new Uint8Array(body.length + last.length + TAG_BYTES);
      out.set(body);
      out.set(last, body.length);
      out.set(tag, body.length + last.length);
      return out;
    },
    open: (key, nonce, aad, sealed) => {
      if (sealed.length < TAG_BYTES) throw new Error('sealed data shorter than its tag');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad);
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      const body = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
      // final() throws when the tag does not verify; nothing is returned before it has.
      const last = decipher.final();
      const out = new Uint8Array(body.length + last.length);
      out.set(body);
      out.set(last, body.length);
      body.fill(0);
      return out;
    },
  };
}

const builtin = builtinCrypto();

/** The native implementation, where the runtime has one. @internal */
export const nodeAesGcm: AesGcm | undefined = builtin === undefined ? undefined : nodeImplementation(builtin);

/** The implementation `SecretBox` uses: native where available. @internal */
export const aesGcm: AesGcm = nodeAesGcm ?? nobleAesGcm;
