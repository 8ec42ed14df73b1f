/**
 * @module
 * A tenant's own SMTP server for its code e-mails (the partner product: "configure your own SMTP
 * server"). The administrator sets it through `setTenantSmtp`, which asks the policy's
 * tenant-configuration question and writes an audit record; the settings are stored sealed with the
 * service's `SecretBox` (B6), bound to the tenant, and opened only to hand them to the e-mail channel's
 * transport. No event, error or return value of `setTenantSmtp` carries the password.
 */
import type { Actor } from '@secondfactor/policy';
import { assertId } from '@secondfactor/store';
import { assertAllowed, invalidArgument } from './errors';
import { emit } from './events';
import { checkName } from './input';
import type { ServiceContext } from './options';
import { checkActor, policyContext } from './subject';

/**
 * A tenant's SMTP server, as nodemailer takes it.
 *
 * @example
 * ```ts
 * import type { TenantSmtpSettings } from '@secondfactor/service';
 *
 * const smtp: TenantSmtpSettings = { host: 'smtp.acme.example', port: 465, secure: true, auth: { user: 'otp', pass: form.password } };
 * await twoFactor.setTenantSmtp(admin, 'acme', smtp);
 * ```
 */
export interface TenantSmtpSettings {
  host: string;
  /** @default 587 */
  port?: number | undefined;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. @default false */
  secure?: boolean | undefined;
  /** The account and password, when the server asks for them. */
  auth?: { user: string; pass: string } | undefined;
}

const binding = (tenantId: string) => ({ userId: `tenant:${tenantId}`, credentialId: 'smtp' });
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function checkSmtp(value: unknown): TenantSmtpSettings {
  if (typeof value !== 'object' || value === null) throw invalidArgument('smtp', 'must be an object or null');
  const { host, port, secure, auth, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw invalidArgument(`smtp.${unknown}`, 'is not an SMTP setting');
  if (port !== undefined && (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65_535)) {
    throw invalidArgument('smtp.port', 'must be a port number');
  }
  if (secure !== undefined && typeof secure !== 'boolean')
    throw invalidArgument('smtp.secure', 'must be a boolean');
  let checkedAuth: TenantSmtpSettings['auth'];
  if (auth !== undefined) {
    if (typeof auth !== 'object' || auth === null)
      throw invalidArgument('smtp.auth', 'must be { user, pass }');
    const { user, pass } = auth as Record<string, unknown>;
    checkedAuth = { user: checkName('smtp.auth.user', user), pass: checkName('smtp.auth.pass', pass) };
  }
  return {
    host: checkName('smtp.host', host),
    ...(port === undefined ? {} : { port: port as number }),
    ...(secure === undefined ? {} : { secure }),
    ...(checkedAuth === undefined ? {} : { auth: checkedAuth }),
  };
}

/** @internal See `TwoFactor.setTenantSmtp`. */
export async function setTenantSmtp(
  ctx: ServiceContext,
  actorInput: Actor,
  tenantId: string,
  smtpInput: TenantSmtpSettings | null,
): Promise<void> {
  const actor = checkActor(actorInput);
  assertId('tenantId', tenantId);
  const smtp = smtpInput === null ? null : checkSmtp(smtpInput);
  const now = ctx.now();
  assertAllowed(
    ctx.policy.canConfigureTenant(actor, tenantId, await policyContext(ctx, actor, now)),
    "changing the tenant's SMTP server",
  );
  // SecretBox seals 16 to 256 bytes: a short JSON is padded with spaces (JSON allows them), a long one
  // refused here with its own name rather than by the box.
  const json = smtp === null ? null : JSON.stringify(smtp).padEnd(16, ' ');
  const plain = json === null ? null : encoder.encode(json);
  if (plain !== null && plain.length > 256) {
    plain.fill(0);
    throw invalidArgument(
      'smtp',
      'is too long to store: at most 256 bytes as JSON (host, user and password)',
    );
  }
  try {
    await ctx.store.putTenantSettings({
      tenantId,
      ...(plain === null ? {} : { smtpCiphertext: ctx.secretBox.seal(plain, binding(tenantId)) }),
      updatedAt: now,
    });
  } finally {
    plain?.fill(0);
  }
  // The record names the server, never the account's password.
  await emit(ctx, { userId: actor.id, tenantId, actorId: actor.id }, 'tenant.smtp_changed', now, {
    tenantId,
    host: smtp?.host ?? null,
    authenticated: smtp?.auth !== undefined,
  });
}

/**
 * A tenant's SMTP server as its settings page shows it: everything but the password, of which only
 * whether one is set.
 *
 * @example
 * ```ts
 * import type { TenantSmtpView } from '@secondfactor/service';
 *
 * const view: TenantSmtpView = { host: 'smtp.acme.example', port: 587, secure: false, user: 'mailer', hasPassword: true };
 * ```
 */
export interface TenantSmtpView {
  host: string;
  port: number;
  secure: boolean;
  /** The account, when the server asks for one. */
  user: string | null;
  hasPassword: boolean;
}

/** @internal See `TwoFactor.tenantSmtpView`. */
export async function tenantSmtpView(
  ctx: ServiceContext,
  actorInput: Actor,
  tenantId: string,
): Promise<TenantSmtpView | null> {
  const actor = checkActor(actorInput);
  assertId('tenantId', tenantId);
  const now = ctx.now();
  // Who may change the server may see it; the password never leaves the service this way.
  assertAllowed(
    ctx.policy.canConfigureTenant(actor, tenantId, await policyContext(ctx, actor, now)),
    "viewing the tenant's SMTP server",
  );
  const smtp = await tenantSmtp(ctx, tenantId);
  if (smtp === null) return null;
  return {
    host: smtp.host,
    port: smtp.port ?? 587,
    secure: smtp.secure ?? false,
    user: smtp.auth?.user ?? null,
    hasPassword: smtp.auth !== undefined,
  };
}

/** @internal See `TwoFactor.tenantSmtp`. */
export async function tenantSmtp(ctx: ServiceContext, tenantId: string): Promise<TenantSmtpSettings | null> {
  assertId('tenantId', tenantId);
  const settings = await ctx.store.getTenantSettings(tenantId);
  if (settings?.smtpCiphertext === undefined) return null;
  const plain = ctx.secretBox.open(settings.smtpCiphertext, binding(tenantId));
  try {
    return JSON.parse(decoder.decode(plain)) as TenantSmtpSettings;
  } finally {
    plain.fill(0);
  }
}
