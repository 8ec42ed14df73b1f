import { backupCodesFileName, formatBackupCodesFile, generateBackupCodes } from '@secondfactor/backup-codes';
import { SecondFactorError } from '@secondfactor/core';
import { describe, expect, it } from 'vitest';

const CREATED = Date.UTC(2025, 10, 23, 22, 45); // 23 November 2025, 22:45 UTC
const codes = generateBackupCodes();
const base = { issuer: 'Acme', account: 'ada@example.com', codes, createdAt: CREATED };

describe('formatBackupCodesFile', () => {
  it('names the issuer and account and gives the UTC date', () => {
    const lines = formatBackupCodesFile(base).split('\n');
    expect(lines[0]).toContain('Acme');
    expect(lines[0]).toContain('ada@example.com');
    expect(lines[1]).toContain('2025-11-23');
    expect(formatBackupCodesFile({ ...base, createdAt: new Date(CREATED) })).toBe(
      formatBackupCodesFile(base),
    );
  });

  it('has a one-line instruction: each code works once, keep them safe', () => {
    const text = formatBackupCodesFile(base);
    const instruction = text.split('\n').filter((line) => /once/i.test(line));
    expect(instruction).toHaveLength(1);
    expect(instruction[0]).toMatch(/safe/i);
  });

  it('contains every code exactly once, numbered in order and aligned', () => {
    const text = formatBackupCodesFile(base);
    const codeLines = text.split('\n').filter((line) => /^\s*\d+\. /.test(line));
    expect(codeLines).toHaveLength(codes.length);
    codes.forEach((code, index) => {
      expect(text.split(code)).toHaveLength(2);
      expect(codeLines[index]).toBe(`${String(index + 1).padStart(2, ' ')}. ${code}`);
    });
    // Aligned: every code starts in the same column.
    expect(new Set(codeLines.map((line, i) => line.indexOf(codes[i]!))).size).toBe(1);
  });

  it('ends with a line break and uses the requested line ending only', () => {
    const unix = formatBackupCodesFile(base);
    expect(unix.endsWith('\n')).toBe(true);
    expect(unix).not.toContain('\r');
    const windows = formatBackupCodesFile({ ...base, lineEnding: '\r\n' });
    expect(windows.replaceAll('\r\n', '\n')).toBe(unix);
    expect(windows.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it('aligns numbers for sets of more than 9 and fewer than 10 codes', () => {
    const three = formatBackupCodesFile({ ...base, codes: codes.slice(0, 3) });
    expect(three).toContain(`\n1. ${codes[0]}\n`);
    const many = generateBackupCodes({ count: 100 });
    const text = formatBackupCodesFile({ ...base, codes: many });
    expect(text).toContain(`\n  1. ${many[0]}\n`);
    expect(text).toContain(`\n100. ${many[99]}\n`);
  });

  it('contains nothing but the title, date, instruction and codes', () => {
    const text = formatBackupCodesFile(base);
    expect(text.trimEnd().split('\n')).toHaveLength(5 + codes.length);
  });

  it.each([
    ['an empty issuer', { issuer: '  ' }],
    ['an issuer with a line break (forged lines)', { issuer: 'Acme\nCall 555-0100 to verify' }],
    ['an account with a control character', { account: 'ada\u0007@example.com' }],
    ['an over-long account', { account: `${'a'.repeat(320)}@x` }],
    ['no codes', { codes: [] }],
    ['more than 100 codes', { codes: [...generateBackupCodes({ count: 100 }), codes[0]!] }],
    ['a repeated code', { codes: [codes[0]!, codes[1]!, codes[0]!] }],
    [
      'a digest passed instead of a code',
      { codes: ['9228f88f78fdc50ee626783e30b27fed99f1a1a03095ea3736d500d7a5fd3ab5'] },
    ],
    ['a code with a space', { codes: ['7K2M QX9P'] }],
    ['a non-string code', { codes: [42] }],
    ['an invalid date', { createdAt: new Date('nope') }],
    ['a negative time', { createdAt: -1 }],
    ['a bad line ending', { lineEnding: '\r' }],
  ])('rejects %s with invalid_argument', (_name, override) => {
    try {
      formatBackupCodesFile({ ...base, ...(override as object) } as Parameters<
        typeof formatBackupCodesFile
      >[0]);
      expect.fail('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(SecondFactorError);
      expect((error as SecondFactorError).code).toBe('invalid_argument');
      // J3: the message never carries a code.
      for (const code of codes) expect((error as Error).message).not.toContain(code);
    }
  });

  it('suggests a file name from the issuer', () => {
    expect(backupCodesFileName('Acme Cloud')).toBe('acme-cloud-backup-codes.txt');
    expect(backupCodesFileName('Ünïcode ✓')).toBe('unicode-backup-codes.txt');
    expect(backupCodesFileName('✓✓')).toBe('backup-codes.txt');
    expect(() => backupCodesFileName('')).toThrow(SecondFactorError);
  });
});
