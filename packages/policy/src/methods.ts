/**
 * @module
 * Groups of second-factor methods the policy engine reasons about. The methods themselves (`Method`,
 * `METHODS`, `isMethod`) come from `@secondfactor/core`, shared with the store and the service.
 */

import type { Method } from '@secondfactor/core';

/**
 * @internal Methods whose code travels over the phone network. NIST SP 800-63B §5.1.3.3 calls them restricted:
 * usable, but never the only option a user has.
 */
export const PHONE_METHODS: readonly Method[] = Object.freeze(['sms', 'voice']);

/** @internal Methods whose code is typed by the user and therefore subject to the brute-force bound. */
export const CODE_METHODS: readonly Method[] = Object.freeze(['totp', 'hotp', 'email', 'sms', 'voice']);

/** @internal Methods whose code is sent to the user (e-mail, SMS, a call). */
export const DELIVERED_CODE_METHODS: readonly Method[] = Object.freeze(['email', 'sms', 'voice']);
