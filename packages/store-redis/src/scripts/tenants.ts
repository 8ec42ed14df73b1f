/**
 * @module
 * Lua scripts of tenant settings (see `SecondFactorStore.getTenantSettings` and `putTenantSettings`): one
 * JSON string `P{t:<tenant>}:settings` in the tenant's slot, without TTL, replaced whole by one SET.
 */

/** KEYS: tenant base. → the settings JSON, or nil. */
export const GET_TENANT_SETTINGS: string = `
return redis.call('GET', B .. 'settings')
`;

/** KEYS: tenant base. ARGV: the settings JSON. */
export const PUT_TENANT_SETTINGS: string = `
redis.call('SET', B .. 'settings', ARGV[1])
return 1
`;
