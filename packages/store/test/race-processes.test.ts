import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { raceAcrossProcesses } from '@secondfactor/store/testing';
import { afterAll, describe, expect, it } from 'vitest';

const fixture = (name: string): string => join('packages/store/test/fixtures', name);
const dir = mkdtempSync(join(tmpdir(), 'sf-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('raceAcrossProcesses', () => {
  it('runs each worker in its own process and returns the results in worker order', async () => {
    const results = (await raceAcrossProcesses({
      workers: 4,
      script: fixture('pid-worker.ts'),
      args: { tag: 'hello' },
    })) as {
      pid: number;
      index: number;
      tag: string;
    }[];
    expect(results.map((result) => result.index)).toEqual([0, 1, 2, 3]);
    expect(results.every((result) => result.tag === 'hello')).toBe(true);
    const pids = new Set(results.map((result) => result.pid));
    expect(pids.size).toBe(4);
    expect(pids.has(process.pid)).toBe(false);
  });

  it('releases no worker before the last one is ready', async () => {
    const results = (await raceAcrossProcesses({
      workers: 4,
      script: fixture('pid-worker.ts'),
      args: { tag: 'barrier' },
    })) as {
      readyAt: number;
      goAt: number;
    }[];
    const lastReady = Math.max(...results.map((result) => result.readyAt));
    // Workers became ready 0, 150, 300 and 450 ms apart; every one still started after the last was ready.
    for (const result of results) expect(result.goAt).toBeGreaterThanOrEqual(lastReady);
  });

  it('D7: a real cross-process race (exclusive file create) has exactly one winner', async () => {
    const path = join(dir, 'exclusive');
    const results = await raceAcrossProcesses({
      workers: 6,
      script: fixture('file-race-worker.ts'),
      args: { path },
    });
    expect(results.filter((result) => result === true)).toHaveLength(1);
    const winnerPid = Number(readFileSync(path, 'utf8'));
    expect(isAlive(winnerPid)).toBe(false);
  });

  it('rejects with the worker’s message when an attempt throws', async () => {
    const pidDir = mkdtempSync(join(dir, 'throw-'));
    await expect(
      raceAcrossProcesses({
        workers: 3,
        script: fixture('faulty-worker.ts'),
        args: { mode: 'throw', pidDir },
      }),
    ).rejects.toThrow('worker 1: boom');
  });

  it('rejects when a worker exits without an answer, and leaves no worker running', async () => {
    const pidDir = mkdtempSync(join(dir, 'exit-'));
    await expect(
      raceAcrossProcesses({
        workers: 3,
        script: fixture('faulty-worker.ts'),
        args: { mode: 'exit', pidDir },
      }),
    ).rejects.toThrow(/worker 0 exited/);
    for (const file of readdirSync(pidDir))
      expect(isAlive(Number(readFileSync(join(pidDir, file), 'utf8')))).toBe(false);
  });

  it('rejects after timeoutMs when workers never become ready, and kills them', async () => {
    const pidDir = mkdtempSync(join(dir, 'hang-'));
    await expect(
      raceAcrossProcesses({
        workers: 2,
        script: fixture('faulty-worker.ts'),
        args: { mode: 'hang', pidDir },
        timeoutMs: 4_000,
      }),
    ).rejects.toThrow(/did not finish within 4000 ms/);
    const pids = readdirSync(pidDir).map((file) => Number(readFileSync(join(pidDir, file), 'utf8')));
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });

  it('refuses a missing script and a bad worker count', async () => {
    await expect(raceAcrossProcesses({ workers: 2, script: fixture('no-such-worker.ts') })).rejects.toThrow(
      /script not found/,
    );
    await expect(raceAcrossProcesses({ workers: 0, script: fixture('pid-worker.ts') })).rejects.toThrow(
      /workers/,
    );
  });
});
