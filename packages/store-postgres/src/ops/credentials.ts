/**
 * @module
 * Credentials, their switch, the lookup of who holds an address, and the compare-and-set of sealed
 * secrets (key rotation). The replay guard of a verification is in `verification.ts`.
 */
import type { AddressHolder, CredentialRecord, ReplaceCredentialSecretOptions } from '@secondfactor/store';
import {
  addressHolderOf,
  type CheckedAddressHolderQuery,
  type CheckedPage,
} from '@secondfactor/store/adapter';
import type { Context } from '../context';
import type { TableNames } from '../names';
import { nullable, toCredential } from '../rows';

/** Every column of a credential row, in the order `toCredential` reads them. */
export const CREDENTIAL_COLUMNS: string =
  'id, user_id, tenant_id, kind, label, secret_ciphertext, algorithm, digits, period, address, ' +
  'last_used_step, drift_steps, created_at, last_used_at, switched_off_at';

export async function addCredential(ctx: Context, credential: CredentialRecord): Promise<void> {
  const { otp } = credential;
  // A duplicate id violates the primary key: `conflict`, and nothing is written.
  await ctx.run(
    'addCredential',
    `INSERT INTO ${ctx.t.credentials} (${CREDENTIAL_COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::bigint, $12::bigint, $13::bigint, $14::bigint,
             $15::bigint)`,
    [
      credential.id,
      credential.userId,
      nullable(credential.tenantId),
      credential.kind,
      credential.label,
      nullable(otp?.secretCiphertext),
      nullable(otp?.algorithm),
      nullable(otp?.digits),
      nullable(otp?.period),
      nullable(credential.address),
      nullable(credential.lastUsedStep),
      nullable(credential.driftSteps),
      credential.createdAt,
      nullable(credential.lastUsedAt),
      nullable(credential.switchedOffAt),
    ],
  );
}

export async function getCredential(
  ctx: Context,
  userId: string,
  credentialId: string,
): Promise<CredentialRecord | null> {
  // H3: the user id is part of the key, so another user's credential reads as missing.
  const rows = await ctx.run(
    'getCredential',
    `SELECT ${CREDENTIAL_COLUMNS} FROM ${ctx.t.credentials} WHERE id = $2 AND user_id = $1`,
    [userId, credentialId],
  );
  return rows[0] === undefined ? null : toCredential(rows[0]);
}

export async function listCredentials(ctx: Context, userId: string): Promise<CredentialRecord[]> {
  const rows = await ctx.run(
    'listCredentials',
    `SELECT ${CREDENTIAL_COLUMNS} FROM ${ctx.t.credentials} WHERE user_id = $1 ORDER BY created_at, id`,
    [userId],
  );
  return rows.map(toCredential);
}

export async function deleteCredential(ctx: Context, userId: string, credentialId: string): Promise<boolean> {
  const rows = await ctx.run(
    'deleteCredential',
    `DELETE FROM ${ctx.t.credentials} WHERE id = $2 AND user_id = $1 RETURNING 1`,
    [userId, credentialId],
  );
  return rows.length === 1;
}

export async function renameCredential(
  ctx: Context,
  userId: string,
  credentialId: string,
  label: string,
): Promise<boolean> {
  // Only the label is in the SET: the secret, last used step and drift stay, so a rename cannot reopen a
  // used code. H3: the user id is part of the key, so another user's credential is not found.
  const rows = await ctx.run(
    'renameCredential',
    `UPDATE ${ctx.t.credentials} SET label = $3 WHERE id = $2 AND user_id = $1 RETURNING 1`,
    [userId, credentialId, label],
  );
  return rows.length === 1;
}

export async function switchCredential(
  ctx: Context,
  userId: string,
  credentialId: string,
  switchedOffAt: number | null,
): Promise<boolean> {
  // Only the switch is in the SET: the secret, label, last used step and drift stay. H3: the user id is
  // part of the key, so another user's credential is not found.
  const rows = await ctx.run(
    'switchCredential',
    `UPDATE ${ctx.t.credentials} SET switched_off_at = $3::bigint WHERE id = $2 AND user_id = $1 RETURNING 1`,
    [userId, credentialId, switchedOffAt],
  );
  return rows.length === 1;
}

/**
 * The statement of `listAddressHolders`: `$1` the address, `$2` the limit and, for a tenant's query, `$3`
 * the tenant. The two spellings of the tenant condition each find their rows through the index
 * `credentials_tenant_address` (migration 7), which a single `IS NOT DISTINCT FROM` could not use.
 *
 * @internal
 */
export const addressHoldersStatement = (t: TableNames, tenant: boolean): string =>
  `SELECT ${CREDENTIAL_COLUMNS} FROM ${t.credentials}
   WHERE ${tenant ? 'tenant_id = $3' : 'tenant_id IS NULL'} AND address = $1
   ORDER BY user_id, id LIMIT $2`;

export async function listAddressHolders(
  ctx: Context,
  { tenantId, address, limit }: CheckedAddressHolderQuery,
): Promise<AddressHolder[]> {
  const tenant = tenantId !== undefined;
  const rows = await ctx.run(
    'listAddressHolders',
    addressHoldersStatement(ctx.t, tenant),
    tenant ? [address, limit, tenantId] : [address, limit],
  );
  return rows.map((row) => addressHolderOf(toCredential(row)));
}

export async function replaceCredentialSecret(
  ctx: Context,
  userId: string,
  credentialId: string,
  { expected, next }: ReplaceCredentialSecretOptions,
): Promise<boolean> {
  const rows = await ctx.run(
    'replaceCredentialSecret',
    `UPDATE ${ctx.t.credentials} SET secret_ciphertext = $3
     WHERE id = $1 AND user_id = $4 AND secret_ciphertext = $2 RETURNING 1`,
    [credentialId, expected, next, userId],
  );
  return rows.length === 1;
}

export async function listOtpCredentials(
  ctx: Context,
  { after, limit }: CheckedPage,
): Promise<CredentialRecord[]> {
  const rows = await ctx.run(
    'listOtpCredentials',
    `SELECT ${CREDENTIAL_COLUMNS} FROM ${ctx.t.credentials}
     WHERE secret_ciphertext IS NOT NULL AND ($1::text IS NULL OR id > $1)
     ORDER BY id LIMIT $2`,
    [nullable(after), limit],
  );
  return rows.map(toCredential);
}
