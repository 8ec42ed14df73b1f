/**
 * @module
 * Before anything is timed: every implementation must produce the reference code at every fixture
 * instant, accept codes exactly one step either side and refuse two steps away (same window semantics),
 * refuse the wrong code, and, where an HMAC hook exists, compute exactly 3 HMACs for it (the worst case
 * being timed really is the worst case). An implementation that fails is reported and not timed.
 */
import { referenceHotp, SECRET, stepOf, TIME_COUNT, TIMES_MS } from './fixtures';
import type { Implementation } from './implementation';

/** Window offsets probed; −1…+1 must verify, ±2 must not. */
const OFFSETS = [-2, -1, 0, 1, 2] as const;

function checkInjected(impl: Implementation, wrong: string, problems: string[]): void {
  for (let i = 0; i < TIME_COUNT; i++) {
    const step = stepOf(TIMES_MS[i]!);
    const expected = referenceHotp(SECRET, step);
    const got = impl.generate(i);
    if (got !== expected) problems.push(`generate at t=${TIMES_MS[i]} gave ${got}, reference ${expected}`);
    for (const d of OFFSETS) {
      const accepted = impl.verify(referenceHotp(SECRET, step + d), i);
      if (accepted !== Math.abs(d) <= 1)
        problems.push(`verify of step ${d >= 0 ? '+' : ''}${d} returned ${accepted}`);
    }
    if (impl.verify(wrong, i)) problems.push(`accepted the wrong code at t=${TIMES_MS[i]}`);
  }
}

function checkSystemClock(impl: Implementation, wrong: string, problems: string[]): void {
  if (impl.hotp) {
    for (const t of TIMES_MS) {
      const step = stepOf(t);
      if (impl.hotp(step) !== referenceHotp(SECRET, step)) problems.push(`HOTP at counter ${step} disagrees`);
    }
  }
  // The library reads the clock; retry if a step boundary passes between our reads and its own.
  for (let attempt = 0; attempt < 3; attempt++) {
    const local: string[] = [];
    const before = stepOf(Date.now());
    const got = impl.generate(0);
    if (got !== referenceHotp(SECRET, before)) local.push(`generate now gave ${got}`);
    for (const d of OFFSETS) {
      const accepted = impl.verify(referenceHotp(SECRET, before + d), 0);
      if (accepted !== Math.abs(d) <= 1)
        local.push(`verify of step ${d >= 0 ? '+' : ''}${d} returned ${accepted}`);
    }
    if (impl.verify(wrong, 0)) local.push('accepted the wrong code');
    if (stepOf(Date.now()) === before) {
      problems.push(...local);
      return;
    }
  }
  problems.push('clock kept crossing a step boundary during the check');
}

/** Problems found per implementation name; an empty list means it agrees with the reference. */
export function checkAgreement(impls: readonly Implementation[], wrong: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const impl of impls) {
    const problems: string[] = [];
    try {
      if (impl.clock === 'injected') checkInjected(impl, wrong, problems);
      else checkSystemClock(impl, wrong, problems);
      if (impl.hmacsPerVerify) {
        for (const i of [0, 1, TIME_COUNT - 1]) {
          const n = impl.hmacsPerVerify(wrong, i);
          if (n !== 3) problems.push(`computed ${n} HMACs for a wrong code (expected 3)`);
        }
      }
    } catch (error) {
      problems.push(`threw: ${error instanceof Error ? error.message : String(error)}`);
    }
    // Deduplicate: the same fault repeats at every instant.
    result.set(impl.name, [...new Set(problems)].slice(0, 5));
  }
  return result;
}
