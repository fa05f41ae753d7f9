import assert from "node:assert/strict";
import {
  mean,
  standardError,
  variance,
  zScore,
} from "../../src/stats/summary.ts";
import { assertClose } from "../_util/assert_close.ts";
import { Rng } from "../../src/random/rng.ts";

Deno.test("mean() and variance() match hand computation", () => {
  // x = (2, 4, 4, 4, 5, 5, 7, 9): mean 5, Σ(x−5)² = 32 ⇒ s² = 32/7.
  const x = [2, 4, 4, 4, 5, 5, 7, 9];
  assert.equal(mean(x), 5);
  assertClose(variance(x), 32 / 7);
  assertClose(standardError(x), Math.sqrt(32 / 7 / 8));
});

Deno.test("variance() is shift-invariant for a large offset (no cancellation)", () => {
  const x = [1e9 + 1, 1e9 + 2, 1e9 + 3];
  // float64 round-off: the data themselves carry ~1e9·eps ≈ 1e-7 absolute error.
  assertClose(variance(x), 1, { rtol: 1e-12 });
});

Deno.test("mean() uses compensated summation", () => {
  // 1 + 1e-16·1e4 summed naively loses every small term; the exact mean is (1 + 1e-12)/(1e4 + 1).
  const x = [1, ...new Array(10000).fill(1e-16)];
  assertClose(mean(x), (1 + 1e-12) / 10001, { rtol: 1e-15 });
});

Deno.test("standardError() of i.i.d. normals matches σ/√n on average", () => {
  const rng = Rng.fromSeed(11n);
  const reps = 2000;
  const n = 50;
  const means: number[] = [];
  let se2 = 0;
  for (let r = 0; r < reps; r++) {
    const x = rng.fillNormal(new Float64Array(n));
    means.push(mean(x));
    se2 += standardError(x) ** 2;
  }
  // E[SE²] = 1/n exactly; its Monte-Carlo sd is √(2/(n−1))/n/√reps ⇒ 4σ ≈ 0.025 relative.
  assertClose(se2 / reps, 1 / n, { rtol: 4 * Math.sqrt(2 / (n - 1) / reps) });
  // Var of the means is 1/n too; relative sd √(2/(reps−1)) ⇒ 4σ ≈ 0.127 relative.
  assertClose(variance(means), 1 / n, { rtol: 4 * Math.sqrt(2 / (reps - 1)) });
});

Deno.test("zScore() divides the difference by the standard error", () => {
  assert.equal(zScore(3, 1, 0.5), 4);
  assert.equal(zScore(1, 3, 2), -1);
});

Deno.test("summary functions throw RangeError on too few samples or SE <= 0", () => {
  assert.throws(() => mean([]), RangeError);
  assert.throws(() => variance([1]), RangeError);
  assert.throws(() => standardError([1]), RangeError);
  assert.throws(() => zScore(1, 1, 0), RangeError);
});
