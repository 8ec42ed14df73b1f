/**
 * @module
 * The schema, as versioned migrations. A migration is never edited once released: a change is a new
 * entry. Constraints carry the invariants the statements rely on, so a bug elsewhere cannot store
 * what the contract forbids (a plaintext secret, a code instead of a digest, an unknown kind).
 */
import type { TableNames } from './names';

/**
 * One step of the schema. Its statements run in one transaction together with its version row.
 *
 * @example
 * ```ts
 * import { MIGRATIONS, type Migration } from '@secondfactor/store-postgres';
 *
 * const names = MIGRATIONS.map((migration: Migration) => `${migration.version}: ${migration.name}`);
 * ```
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** The DDL, one statement per entry (PGlite's extended protocol runs one statement per call). */
  statements(t: TableNames): readonly string[];
}

const KINDS = `'totp', 'hotp', 'email', 'sms', 'voice', 'push'`;
const PURPOSES = `'login', 'enroll', 'disable', 'change_address', 'regenerate_backup_codes', 'step_up'`;
// Keyed digests are lowercase hex (validate.ts assertDigest); a code or token in clear cannot match.
const DIGEST = `'^[0-9a-f]{32,128}$'`;
// SecretBox output starts with its format tag; a Base32 secret (A-Z, 2-7) cannot (checklist B6).
const SEALED = `'^sf[0-9]+\\.'`;

// Ids compare and sort by code point (COLLATE "C"), like JavaScript, whatever the database's locale.
const ID = 'text COLLATE "C"';

const initial: Migration = {
  version: 1,
  name: 'initial schema',
  statements: (t) => [
    `CREATE TABLE ${t.userSettings} (
      user_id ${ID} PRIMARY KEY,
      tenant_id ${ID},
      required_by_admin boolean,
      may_toggle boolean NOT NULL,
      grace_started_at bigint,
      backup_codes_acknowledged_at bigint,
      updated_at bigint NOT NULL
    )`,
    `CREATE INDEX user_settings_tenant ON ${t.userSettings} (tenant_id, user_id)`,

    `CREATE TABLE ${t.credentials} (
      id ${ID} PRIMARY KEY,
      user_id ${ID} NOT NULL,
      tenant_id ${ID},
      kind text NOT NULL CONSTRAINT credentials_kind CHECK (kind IN (${KINDS})),
      label text NOT NULL,
      secret_ciphertext text CONSTRAINT credentials_sealed CHECK (secret_ciphertext ~ ${SEALED}),
      algorithm text CONSTRAINT credentials_algorithm CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
      digits smallint CONSTRAINT credentials_digits CHECK (digits BETWEEN 6 AND 10),
      period integer CONSTRAINT credentials_period CHECK (period BETWEEN 1 AND 3600),
      address text,
      last_used_step bigint,
      drift_steps bigint,
      created_at bigint NOT NULL,
      last_used_at bigint,
      CONSTRAINT credentials_otp CHECK (
        (kind IN ('totp', 'hotp')) = (secret_ciphertext IS NOT NULL AND algorithm IS NOT NULL AND digits IS NOT NULL)
      ),
      CONSTRAINT credentials_totp_period CHECK (kind <> 'totp' OR period IS NOT NULL)
    )`,
    `CREATE INDEX credentials_user ON ${t.credentials} (user_id)`,

    `CREATE TABLE ${t.pendingEnrollments} (
      id ${ID} PRIMARY KEY,
      user_id ${ID} NOT NULL,
      tenant_id ${ID},
      kind text NOT NULL CONSTRAINT pending_kind CHECK (kind IN (${KINDS})),
      label text NOT NULL,
      secret_ciphertext text CONSTRAINT pending_sealed CHECK (secret_ciphertext ~ ${SEALED}),
      algorithm text CONSTRAINT pending_algorithm CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
      digits smallint CONSTRAINT pending_digits CHECK (digits BETWEEN 6 AND 10),
      period integer CONSTRAINT pending_period CHECK (period BETWEEN 1 AND 3600),
      address text,
      created_at bigint NOT NULL,
      expires_at bigint NOT NULL,
      CONSTRAINT pending_otp CHECK (
        (kind IN ('totp', 'hotp')) = (secret_ciphertext IS NOT NULL AND algorithm IS NOT NULL AND digits IS NOT NULL)
      )
    )`,
    `CREATE INDEX pending_enrollments_user ON ${t.pendingEnrollments} (user_id)`,

    // One row per user; generation names the current set. A code row counts only while its generation
    // is the set's, so a replacement retires every older code even if a concurrent writer left one behind.
    `CREATE TABLE ${t.backupCodeSets} (
      user_id ${ID} PRIMARY KEY,
      generation bigint NOT NULL,
      salt text,
      remaining integer NOT NULL CONSTRAINT backup_code_sets_remaining CHECK (remaining >= 0),
      created_at bigint NOT NULL
    )`,
    `CREATE TABLE ${t.backupCodes} (
      user_id ${ID} NOT NULL REFERENCES ${t.backupCodeSets} (user_id) ON DELETE CASCADE,
      digest text NOT NULL CONSTRAINT backup_codes_digest CHECK (digest ~ ${DIGEST}),
      generation bigint NOT NULL,
      PRIMARY KEY (user_id, digest, generation)
    )`,

    `CREATE TABLE ${t.challenges} (
      id ${ID} PRIMARY KEY,
      user_id ${ID} NOT NULL,
      tenant_id ${ID},
      kind text NOT NULL CONSTRAINT challenges_kind CHECK (kind IN (${KINDS}, 'login')),
      purpose text NOT NULL CONSTRAINT challenges_purpose CHECK (purpose IN (${PURPOSES})),
      credential_id ${ID},
      digest text CONSTRAINT challenges_digest CHECK (digest ~ ${DIGEST}),
      created_at bigint NOT NULL,
      expires_at bigint NOT NULL,
      attempts bigint NOT NULL CONSTRAINT challenges_attempts CHECK (attempts >= 0),
      max_attempts integer NOT NULL CONSTRAINT challenges_max_attempts CHECK (max_attempts BETWEEN 1 AND 100),
      deliveries bigint NOT NULL CONSTRAINT challenges_deliveries CHECK (deliveries >= 0),
      consumed_at bigint,
      data text
    )`,
    `CREATE INDEX challenges_user ON ${t.challenges} (user_id)`,

    `CREATE TABLE ${t.failures} (
      key ${ID} PRIMARY KEY,
      count bigint NOT NULL,
      window_ends_at bigint NOT NULL,
      locked_until bigint,
      lockouts integer NOT NULL
    )`,

    `CREATE TABLE ${t.trustedDevices} (
      id ${ID} PRIMARY KEY,
      user_id ${ID} NOT NULL,
      digest text NOT NULL CONSTRAINT trusted_devices_digest CHECK (digest ~ ${DIGEST}),
      label text,
      created_at bigint NOT NULL,
      expires_at bigint NOT NULL
    )`,
    `CREATE UNIQUE INDEX trusted_devices_user_digest ON ${t.trustedDevices} (user_id, digest)`,

    `CREATE TABLE ${t.auditEvents} (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      id ${ID} NOT NULL UNIQUE,
      at bigint NOT NULL,
      type text NOT NULL CONSTRAINT audit_events_type CHECK (type ~ '^[a-z][a-z0-9_.]{0,63}$'),
      user_id ${ID},
      actor_id ${ID},
      tenant_id ${ID},
      data text
    )`,
    `CREATE INDEX audit_events_at ON ${t.auditEvents} (at DESC, seq DESC)`,
    `CREATE INDEX audit_events_user ON ${t.auditEvents} (user_id, at DESC, seq DESC)`,
    `CREATE INDEX audit_events_tenant ON ${t.auditEvents} (tenant_id, at DESC, seq DESC)`,
    // Append-only (checklist H8): rows cannot be changed or deleted one by one. Retention is an
    // operator's decision: TRUNCATE, or disable the trigger for a scripted purge.
    `CREATE FUNCTION ${t.schema}.audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege';
      END
    $$`,
    `CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON ${t.auditEvents}
      FOR EACH ROW EXECUTE FUNCTION ${t.schema}.audit_events_append_only()`,
  ],
};

// Version 1 stored digests as hex text under a regex CHECK: twice the bytes in the table and in every
// index over them (the backup-code primary key outgrew its table), and a regex run per written row.
// Version 2 converts them in place to bytea, checked by length; the adapter converts at its boundary
// (decode($n, 'hex') in, encode(digest, 'hex') out), so the contract still sees lowercase hex. Each
// ALTER rewrites its table once and rebuilds its indexes (the primary key of backup_codes, the unique
// index of trusted_devices) under an ACCESS EXCLUSIVE lock, inside the migration's transaction.
const DIGEST_BYTES = 'octet_length(digest) BETWEEN 16 AND 64';
const toBytea = (table: string, constraint: string): string =>
  `ALTER TABLE ${table}
     DROP CONSTRAINT ${constraint},
     ALTER COLUMN digest TYPE bytea USING decode(digest, 'hex'),
     ADD CONSTRAINT ${constraint} CHECK (${DIGEST_BYTES})`;

const byteaDigests: Migration = {
  version: 2,
  name: 'digests as bytea',
  statements: (t) => [
    toBytea(t.backupCodes, 'backup_codes_digest'),
    toBytea(t.challenges, 'challenges_digest'),
    toBytea(t.trustedDevices, 'trusted_devices_digest'),
  ],
};

// Version 3: the expiry indexes of sweepExpired. Its DELETEs pick lapsed rows through these in a range
// scan (`expires_at <= now`), so one sweep costs its `limit` and not a scan of every live row. The
// failures index is on the expression the sweep compares: when a counter lapses (its lock's end, else
// its window's end).
const sweepIndexes: Migration = {
  version: 3,
  name: 'expiry indexes for sweepExpired',
  statements: (t) => [
    `CREATE INDEX challenges_expires_at ON ${t.challenges} (expires_at)`,
    `CREATE INDEX pending_enrollments_expires_at ON ${t.pendingEnrollments} (expires_at)`,
    `CREATE INDEX trusted_devices_expires_at ON ${t.trustedDevices} (expires_at)`,
    `CREATE INDEX failures_lapse_at ON ${t.failures} ((COALESCE(locked_until, window_ends_at)))`,
  ],
};

// Version 4: the "Use 2FA" switch is named for what it is, whoever sets it (`UserSettings.useTwoFactor`),
// and OTP digits are held to the 6 to 8 the store accepts (checklist A9). The new digit constraints are
// NOT VALID: they hold for every row written from now on without failing the migration on an older row
// of 9 or 10 digits (which no verifier accepts any more; VALIDATE CONSTRAINT checks the rest when wanted).
const useTwoFactor: Migration = {
  version: 4,
  name: 'use_two_factor; digits 6 to 8',
  statements: (t) => [
    `ALTER TABLE ${t.userSettings} RENAME COLUMN required_by_admin TO use_two_factor`,
    `ALTER TABLE ${t.credentials} DROP CONSTRAINT credentials_digits,
       ADD CONSTRAINT credentials_digits CHECK (digits BETWEEN 6 AND 8) NOT VALID`,
    `ALTER TABLE ${t.pendingEnrollments} DROP CONSTRAINT pending_digits,
       ADD CONSTRAINT pending_digits CHECK (digits BETWEEN 6 AND 8) NOT VALID`,
  ],
};

// Version 5: what the login and settings steps of the service need. `may_toggle` may be NULL ("nobody set
// it; the policy default applies", `UserSettings.mayToggle`); `enrollment_reset_at` records the user's last
// 2FA reset. Both are catalog-only changes (a nullable column without a default rewrites nothing). The
// session epochs get a table of their own, one row per user bumped at least once (a user without one is at
// epoch 0): not a settings column, because putUserSettings replaces the settings row whole, and an epoch
// must only grow.
const sessionEpochs: Migration = {
  version: 5,
  name: 'may_toggle nullable; enrollment_reset_at; session epochs',
  statements: (t) => [
    `ALTER TABLE ${t.userSettings}
       ALTER COLUMN may_toggle DROP NOT NULL,
       ADD COLUMN enrollment_reset_at bigint`,
    `CREATE TABLE ${t.sessionEpochs} (
      user_id ${ID} PRIMARY KEY,
      epoch bigint NOT NULL CONSTRAINT session_epochs_epoch CHECK (epoch >= 1)
    )`,
  ],
};

const tenantSettings: Migration = {
  version: 6,
  name: 'tenant settings',
  statements: (t) => [
    `CREATE TABLE ${t.tenantSettings} (
      tenant_id ${ID} PRIMARY KEY,
      smtp_ciphertext text CONSTRAINT tenant_settings_sealed CHECK (smtp_ciphertext ~ ${SEALED}),
      updated_at bigint NOT NULL
    )`,
  ],
};

// Version 7: a device can be switched off and stay verified (`CredentialRecord.switchedOffAt`), and
// `listAddressHolders` answers who in a tenant holds an address. The column is nullable without a default
// (catalog-only: nothing is rewritten, every existing credential reads as switched on). The index serves
// the lookup's equality on (tenant, address) for a tenant (`tenant_id = $t`) and for the tenant-less
// (`tenant_id IS NULL`, which a btree index also finds); the few rows of one address are sorted by user
// and id after it. It is partial, over the rows that hold an address (out-of-band credentials), and
// leaves the ids out: tenant and address alone stay within a btree row's size limit for any id and
// address the contract accepts. `CREATE INDEX` inside the migration's transaction blocks writes to
// credentials while it builds; on a large database create it beforehand with `CREATE INDEX CONCURRENTLY`
// under the same name and definition (`IF NOT EXISTS` then leaves it as it is), or migrate in a quiet moment.
const addressHolders: Migration = {
  version: 7,
  name: 'switched_off_at; credentials by tenant and address',
  statements: (t) => [
    `ALTER TABLE ${t.credentials} ADD COLUMN switched_off_at bigint`,
    `CREATE INDEX IF NOT EXISTS credentials_tenant_address ON ${t.credentials} (tenant_id, address) WHERE address IS NOT NULL`,
  ],
};

/**
 * Every migration, oldest first. `migrate()` applies the ones a database lacks.
 *
 * @example
 * ```ts
 * import { MIGRATIONS } from '@secondfactor/store-postgres';
 *
 * const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version;
 * ```
 */
export const MIGRATIONS: readonly Migration[] = [
  initial,
  byteaDigests,
  sweepIndexes,
  useTwoFactor,
  sessionEpochs,
  tenantSettings,
  addressHolders,
];
