/**
 * Holm–Bonferroni step-down adjustment of p-values: with the m p-values sorted ascending, p₍ᵢ₎ becomes
 * max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎). Rejecting every hypothesis whose adjusted p-value is below α controls the
 * family-wise error rate at α under any dependence between the tests (Holm 1979).
 *
 * @param pValues Raw p-values, each in [0, 1].
 * @returns Adjusted p-values, in the input order.
 * @throws {RangeError} If a p-value is NaN or outside [0, 1].
 *
 * @example Usage
 * ```ts
 * import { holmAdjust } from "./holm.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(holmAdjust([0.01, 0.04]), [0.02, 0.04]);
 * ```
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  for (const p of pValues) {
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(
        `Cannot adjust p-values as one is not in [0, 1]: ${p}`,
      );
    }
  }
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) =>
    pValues[a]! - pValues[b]!
  );
  const out = new Array<number>(m);
  let running = 0;
  order.forEach((idx, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[idx]!));
    out[idx] = running;
  });
  return out;
}
