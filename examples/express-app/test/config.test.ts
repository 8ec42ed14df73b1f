/**
 * The demo's settings from the environment: the product and port, keys made at start for the memory
 * store, and a refusal to start on a durable store without its keys.
 */
import { SecondFactorError } from '@secondfactor/core';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config';

const key = Buffer.alloc(32, 7).toString('base64');

const refusal = (env: NodeJS.ProcessEnv): SecondFactorError => {
  try {
    readConfig(env);
  } catch (error) {
    if (error instanceof SecondFactorError) return error;
    throw error;
  }
  throw new Error('readConfig accepted the environment');
};

describe('readConfig', () => {
  it('defaults to selfService on port 3000 over the memory store, with keys made for this run', () => {
    const one = readConfig({});
    const two = readConfig({});
    expect(one).toMatchObject({ port: 3000, product: 'selfService', store: 'memory', keysGenerated: true });
    expect(one.secretKey).toHaveLength(32);
    expect(Buffer.from(one.secretKey).equals(Buffer.from(two.secretKey))).toBe(false);
  });

  it('PRESET and PORT choose the product and the port; an unknown preset is refused by name', () => {
    expect(readConfig({ PRESET: 'partnerPortal', PORT: '8080' })).toMatchObject({
      product: 'partnerPortal',
      port: 8080,
    });
    const error = refusal({ PRESET: 'enterprise' });
    expect([error.code, error.message]).toEqual([
      'invalid_argument',
      'PRESET must be one of selfService, accountAdmin, partnerPortal, multiMethod, exclusiveMethod',
    ]);
    expect(refusal({ PORT: 'eighty' }).message).toMatch(/^PORT /);
  });

  it('DATABASE_URL or REDIS_URL need both keys from the environment; without one the demo does not start', () => {
    const database = { DATABASE_URL: 'postgres://127.0.0.1/demo' };
    expect(refusal(database).message).toMatch(/^SECONDFACTOR_SECRET_KEY is required/);
    expect(refusal({ ...database, SECONDFACTOR_SECRET_KEY: key }).message).toMatch(
      /^SECONDFACTOR_BACKUP_CODE_KEY is required/,
    );
    const short = Buffer.alloc(16).toString('base64');
    expect(refusal({ REDIS_URL: 'redis://127.0.0.1', SECONDFACTOR_SECRET_KEY: short }).message).toMatch(
      /^SECONDFACTOR_SECRET_KEY must be exactly 32 bytes/,
    );
    const config = readConfig({
      REDIS_URL: 'redis://127.0.0.1:6379',
      SECONDFACTOR_SECRET_KEY: key,
      SECONDFACTOR_BACKUP_CODE_KEY: key,
    });
    expect(config).toMatchObject({ store: 'redis', keysGenerated: false });
    expect(refusal({ ...database, REDIS_URL: 'redis://127.0.0.1' }).message).toMatch(/choose one store/);
  });
});
