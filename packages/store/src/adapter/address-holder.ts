/**
 * @module
 * `addressHolderOf`: what `listAddressHolders` answers of a credential, in one place for every adapter.
 */
import type { CredentialRecord } from '../records';
import type { AddressHolder } from '../store-types';

/**
 * The {@link AddressHolder} of a credential `listAddressHolders` found: its user, tenant, id, kind and
 * `switchedOffAt`, an absent optional field left absent (not `undefined`).
 *
 * @example
 * ```ts
 * import { addressHolderOf } from '@secondfactor/store/adapter';
 *
 * const holder = addressHolderOf({ id: 'cred-1', userId: 'user-1', kind: 'sms', label: 'Phone', address: '+15555550100', createdAt: 0 });
 * // { userId: 'user-1', credentialId: 'cred-1', kind: 'sms' }
 * ```
 */
export function addressHolderOf(credential: CredentialRecord): AddressHolder {
  const { userId, tenantId, id, kind, switchedOffAt } = credential;
  return {
    userId,
    ...(tenantId === undefined ? {} : { tenantId }),
    credentialId: id,
    kind,
    ...(switchedOffAt === undefined ? {} : { switchedOffAt }),
  };
}
