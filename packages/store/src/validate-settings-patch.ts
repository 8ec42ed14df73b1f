/**
 * @module
 * The checks of `updateUserSettings`'s arguments: the patch (each field of its type, `null` where it
 * clears, no key the record does not have) and the options (`now`, `tenantId`).
 */
import type { CheckedUpdateUserSettingsOptions, CheckedUserSettingsPatch } from './adapter/operations';
import type { UserSettingsPatch } from './store-types';
import { assertOptionalId, assertOptions, assertTime, fail } from './validate';
import { SETTINGS_TIMES } from './validate-records';

// The switches: `true`, `false`, or `null` (follow the policy).
const SWITCHES = ['useTwoFactor', 'mayToggle'] as const;
const PATCH_KEYS: ReadonlySet<string> = new Set<keyof UserSettingsPatch>([...SWITCHES, ...SETTINGS_TIMES]);

/**
 * The patch of `updateUserSettings`, copied: a key is present only when its value is not `undefined`.
 * A key the patch type does not name (`userId`, `updatedAt`, a typo) is refused rather than ignored, so
 * a caller never believes it changed a field that stayed.
 *
 * @internal
 */
export function checkSettingsPatch(name: string, value: unknown): CheckedUserSettingsPatch {
  assertOptions(name, value, true);
  const unknown = Object.keys(value).filter((key) => !PATCH_KEYS.has(key));
  if (unknown.length > 0) {
    fail(
      unknown.map((key) => `${name}.${key}`).join(', '),
      'is not a field updateUserSettings changes (useTwoFactor, mayToggle, graceStartedAt, backupCodesAcknowledgedAt, enrollmentResetAt)',
    );
  }
  const source = value as Record<string, unknown>;
  const patch: Record<string, boolean | number | null> = {};
  for (const key of SWITCHES) {
    const item = source[key];
    if (item === undefined) continue;
    if (item !== null && typeof item !== 'boolean') fail(`${name}.${key}`, 'must be true, false or null');
    patch[key] = item;
  }
  for (const key of SETTINGS_TIMES) {
    const item = source[key];
    if (item === undefined) continue;
    if (item !== null) assertTime(`${name}.${key}`, item);
    patch[key] = item;
  }
  return patch as CheckedUserSettingsPatch;
}

/**
 * The options of `updateUserSettings`.
 *
 * @internal
 */
export function checkUpdateSettingsOptions(name: string, value: unknown): CheckedUpdateUserSettingsOptions {
  assertOptions(name, value, true);
  const { now, tenantId } = value as Record<string, unknown>;
  assertTime(`${name}.now`, now);
  assertOptionalId(`${name}.tenantId`, tenantId);
  return { now, tenantId };
}
