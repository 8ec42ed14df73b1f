/**
 * @module
 * The service the suite and the adapters' own tests run against: a memory store, fresh random keys, the
 * policy a test names (self-service by default).
 */
import { createPolicy, type PolicyConfig, selfService } from '@secondfactor/policy';
import { createTwoFactor, type TwoFactor, type TwoFactorOptions } from '@secondfactor/service';
import { MemoryStore, SecretBox } from '@secondfactor/store';

/**
 * Options of {@link memoryTwoFactor}: those of `createTwoFactor` but the store, the keys and the issuer,
 * and the policy as its configuration.
 *
 * @example
 * ```ts
 * import type { MemoryTwoFactorOptions } from '@secondfactor/http/testing';
 *
 * const options: MemoryTwoFactorOptions = { policy: selfService, clock };
 * ```
 */
export type MemoryTwoFactorOptions = Omit<
  TwoFactorOptions,
  'store' | 'secretBox' | 'backupCodeKey' | 'policy' | 'issuer'
> & {
  /**
   * The policy's configuration.
   * @default selfService
   */
  policy?: PolicyConfig | undefined;
};

/**
 * A service over a new memory store, with fresh random keys and the issuer `Example`.
 *
 * @example
 * ```ts
 * import { memoryTwoFactor } from '@secondfactor/http/testing';
 *
 * const twoFactor = memoryTwoFactor({ clock: () => time });
 * ```
 */
export function memoryTwoFactor(options: MemoryTwoFactorOptions = {}): TwoFactor {
  const { policy = selfService, ...rest } = options;
  return createTwoFactor({
    ...rest,
    store: new MemoryStore(),
    secretBox: new SecretBox({
      keys: { k1: crypto.getRandomValues(new Uint8Array(32)) },
      currentKeyId: 'k1',
    }),
    backupCodeKey: crypto.getRandomValues(new Uint8Array(32)),
    policy: createPolicy(policy),
    issuer: 'Example',
  });
}
