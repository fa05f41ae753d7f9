/**
 * Integer steps log-spaced in [lo, hi], for recording a simulation or plotting a curve over several decades:
 * round(exp(ln lo + (ln hi − ln lo)·j/(count−1))) for j = 0..count−1, merged with `extra`, restricted to
 * [lo, hi], unique and ascending (fewer than `count` when rounding merges neighbours at small k).
 *
 * @param lo First step (> 0).
 * @param hi Last step (≥ lo).
 * @param count Number of log-spaced points before deduplication (≥ 2).
 * @param extra Steps that must be included (those outside [lo, hi] are dropped).
 * @returns Sorted unique integer steps.
 * @throws {RangeError} If lo, hi or count is out of range.
 *
 * @example Usage
 * ```ts
 * import { logSpacedSteps } from "./log_spaced_steps.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(logSpacedSteps(1, 1000, 4), [1, 10, 100, 1000]);
 * assert.deepEqual(logSpacedSteps(1, 100, 3, [7, 500]), [1, 7, 10, 100]);
 * ```
 */
export function logSpacedSteps(
  lo: number,
  hi: number,
  count: number,
  extra: readonly number[] = [],
): number[] {
  if (!(lo > 0) || !Number.isFinite(hi) || !(hi >= lo)) {
    throw new RangeError(
      `Cannot make log-spaced steps as 0 < lo <= hi < Infinity is required: current values are lo = ${lo}, hi = ${hi}`,
    );
  }
  if (!Number.isInteger(count) || count < 2) {
    throw new RangeError(
      `Cannot make log-spaced steps as count must be an integer >= 2: current value is ${count}`,
    );
  }
  const a = Math.log(lo);
  const b = Math.log(hi);
  const out = new Set<number>(extra);
  for (let j = 0; j < count; j++) {
    out.add(Math.round(Math.exp(a + ((b - a) * j) / (count - 1))));
  }
  return [...out].filter((k) => k >= lo && k <= hi).sort((x, y) => x - y);
}
