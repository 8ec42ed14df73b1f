/**
 * @module
 * The demo's settings, read from the environment once at start: port, product, store and keys. Keys are
 * made at start for the memory store (nothing outlives the process); a durable store needs them from the
 * environment, or a restart would leave every stored secret unreadable, so the demo refuses to start.
 */
import { randomBytes } from 'node:crypto';
import { SecondFactorError } from '@secondfactor/core';
import { PRODUCT_NAMES, type ProductName } from './products';

export type StoreKind = 'memory' | 'postgres' | 'redis';

/** A real Telegram bot; without one the demo runs its own fake Bot API server (`/dev/telegram`). */
export interface TelegramBotConfig {
  token: string;
  botUsername: string;
  webhookSecret: string;
}

export interface DemoConfig {
  port: number;
  product: ProductName;
  store: StoreKind;
  databaseUrl?: string | undefined;
  redisUrl?: string | undefined;
  /** The SecretBox key (32 bytes) and the backup-code key (32 bytes or more). */
  secretKey: Uint8Array;
  backupCodeKey: Uint8Array;
  /** The keys were made at start (memory store): print no warning about them. */
  keysGenerated: boolean;
  sessionSecret: string;
  telegram?: TelegramBotConfig | undefined;
}

const bad = (name: string, why: string): SecondFactorError =>
  new SecondFactorError('invalid_argument', `${name} ${why}`);

function keyFrom(env: NodeJS.ProcessEnv, name: string, exact: boolean): Uint8Array {
  const text = env[name];
  if (text === undefined || text === '') {
    throw bad(
      name,
      'is required with DATABASE_URL or REDIS_URL (32 random bytes as base64: `openssl rand -base64 32`)',
    );
  }
  const bytes = new Uint8Array(Buffer.from(text, 'base64'));
  if (exact ? bytes.length !== 32 : bytes.length < 32) {
    throw bad(name, `must be ${exact ? 'exactly' : 'at least'} 32 bytes as base64 (got ${bytes.length})`);
  }
  return bytes;
}

function portFrom(text: string | undefined): number {
  if (text === undefined || text === '') return 3000;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw bad('PORT', 'must be a port number');
  return port;
}

function productFrom(text: string | undefined): ProductName {
  if (text === undefined || text === '') return 'selfService';
  const name = PRODUCT_NAMES.find((candidate) => candidate === text);
  if (name === undefined) throw bad('PRESET', `must be one of ${PRODUCT_NAMES.join(', ')}`);
  return name;
}

function telegramFrom(env: NodeJS.ProcessEnv): TelegramBotConfig | undefined {
  const token = env.TELEGRAM_BOT_TOKEN;
  if (token === undefined || token === '') return undefined;
  const botUsername = env.TELEGRAM_BOT_USERNAME ?? '';
  const webhookSecret = env.TELEGRAM_WEBHOOK_SECRET ?? '';
  if (botUsername === '') throw bad('TELEGRAM_BOT_USERNAME', 'is required with TELEGRAM_BOT_TOKEN');
  if (webhookSecret === '') throw bad('TELEGRAM_WEBHOOK_SECRET', 'is required with TELEGRAM_BOT_TOKEN');
  return { token, botUsername, webhookSecret };
}

/** The settings of `env`; throws `invalid_argument` naming the variable that is wrong or missing. */
export function readConfig(env: NodeJS.ProcessEnv): DemoConfig {
  const databaseUrl = env.DATABASE_URL || undefined;
  const redisUrl = env.REDIS_URL || undefined;
  if (databaseUrl !== undefined && redisUrl !== undefined) {
    throw bad('DATABASE_URL', 'and REDIS_URL are both set: choose one store');
  }
  const store: StoreKind =
    databaseUrl !== undefined ? 'postgres' : redisUrl !== undefined ? 'redis' : 'memory';
  const durable = store !== 'memory';
  return {
    port: portFrom(env.PORT),
    product: productFrom(env.PRESET),
    store,
    databaseUrl,
    redisUrl,
    secretKey: durable ? keyFrom(env, 'SECONDFACTOR_SECRET_KEY', true) : new Uint8Array(randomBytes(32)),
    backupCodeKey: durable
      ? keyFrom(env, 'SECONDFACTOR_BACKUP_CODE_KEY', false)
      : new Uint8Array(randomBytes(32)),
    keysGenerated: !durable,
    sessionSecret: env.SESSION_SECRET || randomBytes(32).toString('base64url'),
    telegram: telegramFrom(env),
  };
}
