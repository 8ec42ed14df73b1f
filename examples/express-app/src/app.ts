/**
 * @module
 * The demo app: the service over the chosen store with the product's policy and the development
 * providers (every message lands in the outbox), the Express adapter under `/2fa`, express-session, the
 * pages, the stylesheet and the script. `main.ts` starts it on a port; the test starts it in-process
 * with an injected clock.
 */
import { fileURLToPath } from 'node:url';
import {
  createOutbox,
  memoryEmailChannel,
  memorySmsProvider,
  memoryVoiceProvider,
  type Outbox,
} from '@secondfactor/channels';
import { secondFactor } from '@secondfactor/express';
import { createPolicy } from '@secondfactor/policy';
import { createTwoFactor, type TwoFactor } from '@secondfactor/service';
import { type SecondFactorStore, SecretBox } from '@secondfactor/store';
import express, { type ErrorRequestHandler, type Express } from 'express';
import session from 'express-session';
import type { TelegramBotConfig } from './config';
import type { DemoContext } from './context';
import { accountPages } from './pages/account';
import { adminPages } from './pages/admin';
import { backupCodePages } from './pages/backup-codes';
import { devPages } from './pages/dev';
import { loginPages, SESSION_COOKIE } from './pages/login';
import { setupPages } from './pages/setup';
import { tenantPages } from './pages/tenant';
import type { Product } from './products';
import { createDemoTelegram } from './telegram';
import { createTenants, type Tenants } from './tenants';
import { createUsers, type Users } from './users';

export interface DemoAppOptions {
  product: Product;
  store: SecondFactorStore;
  /** The SecretBox key, 32 bytes. */
  secretKey: Uint8Array;
  /** The backup-code key (also the key of delivered codes' digests), 32 bytes or more. */
  backupCodeKey: Uint8Array;
  sessionSecret: string;
  /** @default Date.now */
  clock?: (() => number) | undefined;
  /** Cookies only over HTTPS. @default false (the demo serves http://localhost) */
  secureCookies?: boolean | undefined;
  /** A real Telegram bot; without one (and where the product offers Telegram) a fake answers in-process. */
  telegram?: TelegramBotConfig | undefined;
  /** Unexpected errors. @default console.error */
  log?: ((error: unknown) => void) | undefined;
}

export interface DemoApp {
  app: Express;
  twoFactor: TwoFactor;
  outbox: Outbox;
  users: Users;
  tenants: Tenants;
  /** What an administrator set at the first start: "Use 2FA" for some users, a partner's SMTP server. */
  seed(): Promise<void>;
}

const PUBLIC_DIR = fileURLToPath(new URL('../public', import.meta.url));

// Pages hold keys and codes: no framing, no inline script, nothing from another origin, and no address
// of a page sent to another origin. (`no-referrer` would also make Chromium send `Origin: null` with the
// pages' own form posts.)
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** Builds the app; nothing listens yet. */
export function createDemoApp(options: DemoAppOptions): DemoApp {
  const clock = options.clock ?? Date.now;
  const log = options.log ?? ((error: unknown) => console.error(error));
  const { product } = options;
  const outbox = createOutbox({ clock });
  const users = createUsers(product.users);
  const tenants = createTenants(product.tenants);
  const usesFeatures = product.policy.availableWithFeature !== undefined;
  const telegram = product.policy.methods.allowed.includes('push')
    ? createDemoTelegram(options.telegram, clock)
    : undefined;
  const twoFactor: TwoFactor = createTwoFactor({
    store: options.store,
    secretBox: new SecretBox({ keys: { k1: options.secretKey }, currentKeyId: 'k1' }),
    backupCodeKey: options.backupCodeKey,
    policy: createPolicy(product.policy),
    issuer: 'secondfactor demo',
    clock,
    ...(usesFeatures ? { tenantFeatures: tenants.features(() => twoFactor) } : {}),
    channels: {
      email: memoryEmailChannel({ outbox }),
      sms: memorySmsProvider({ outbox }),
      voice: memoryVoiceProvider({ outbox }),
      ...(telegram === undefined ? {} : { telegram: telegram.provider }),
    },
  });
  const routes = secondFactor({
    twoFactor,
    clock,
    accountName: (user) => users.find(user.id)?.email ?? user.id,
    admin: users.directory,
    trustedDeviceCookie: { name: 'sfdemo_trusted', secure: options.secureCookies ?? false },
    onError: (error) => log(error),
  });
  const ctx: DemoContext = { twoFactor, routes, product, users, tenants, outbox, telegram, clock };

  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  });
  app.use('/static', express.static(PUBLIC_DIR, { index: false, fallthrough: false }));
  app.use(
    session({
      name: SESSION_COOKIE,
      secret: options.sessionSecret,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: options.secureCookies ?? false },
    }),
  );
  app.use('/2fa', routes.router);
  loginPages(app, ctx);
  setupPages(app, ctx);
  backupCodePages(app, ctx);
  accountPages(app, ctx);
  adminPages(app, ctx);
  tenantPages(app, ctx);
  devPages(app, ctx);
  const failed: ErrorRequestHandler = (error, _req, res, _next) => {
    log(error);
    res.status(500).type('text').send('Something went wrong; the terminal shows the error.');
  };
  app.use(failed);

  return { app, twoFactor, outbox, users, tenants, seed: () => seed(ctx) };
}

/** The administrators' first actions, done once (a durable store keeps them across restarts). */
async function seed(ctx: DemoContext): Promise<void> {
  const now = ctx.clock();
  const adminOf = (tenantId: string | undefined) =>
    ctx.users.all().find((user) => user.tenantId === tenantId && ctx.users.isAdmin(user));
  const asActor = (user: { id: string; roles: string[]; tenantId?: string | undefined }) => ({
    id: user.id,
    roles: user.roles,
    ...(user.tenantId === undefined ? {} : { tenantId: user.tenantId }),
    reauthenticatedAt: now,
    secondFactor: null,
  });
  for (const id of ctx.product.requiredAtStart) {
    const user = ctx.users.find(id);
    const admin = adminOf(user?.tenantId);
    if (user === undefined || admin === undefined) continue;
    const subject = { id: user.id, roles: user.roles, tenantId: user.tenantId };
    const status = await ctx.twoFactor.status(asActor(admin), subject);
    if (status.useTwoFactor === null) await ctx.twoFactor.setUseTwoFactor(asActor(admin), subject, true);
  }
  for (const tenant of ctx.tenants.list()) {
    const admin = adminOf(tenant.id);
    if (!tenant.features.includes('2fa_email') || admin === undefined) continue;
    if ((await ctx.twoFactor.tenantSmtp(tenant.id)) !== null) continue;
    await ctx.twoFactor.setTenantSmtp(asActor(admin), tenant.id, {
      host: `smtp.${tenant.id}.example`,
      port: 587,
    });
  }
}
