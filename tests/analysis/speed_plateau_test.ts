import assert from "node:assert/strict";
import { Rng } from "../../src/random/rng.ts";
import { speedPlateau } from "../../src/analysis/speed_plateau.ts";
import { assertClose } from "../_util/assert_close.ts";

Deno.test("speedPlateau() on a noise-free exponential relaxation matches the closed forms", () => {
  // s_k = P(1 − e^{−k/τ}), k = 0…n−1.
  const P = 1.2e-6;
  const tau = 40;
  const n = 2000;
  const w = 15;
  const x = 0.05;
  const speeds = Array.from(
    { length: n },
    (_, k) => P * (1 - Math.exp(-k / tau)),
  );
  const r = speedPlateau(speeds, {
    window: w,
    tailFraction: 0.5,
    tolerance: x,
  });
  // Geometric sums: mean of s_k over k ∈ [a, a+L) = P − P·e^{−a/τ}(1 − e^{−L/τ})/(L(1 − e^{−1/τ})).
  const q = Math.exp(-1 / tau);
  const windowMean = (a: number, len: number) =>
    P - (P * Math.exp(-a / tau) * (1 - q ** len)) / (len * (1 - q));
  const plateau = windowMean(n / 2, n / 2);
  // Summation of 1000 terms vs closed form: ~1e-13 relative.
  assertClose(r.plateau, plateau, { rtol: 1e-12 });
  assertClose(r.movingAverage[100]!, windowMean(100, w), { rtol: 1e-12 });
  assert.equal(r.movingAverage.length, n - w + 1);
  assert.equal(r.movingAverageOffset, w - 1);
  // First j with P − windowMean(j, w) ≤ x·plateau (MA below plateau throughout):
  // P e^{−j/τ}(1 − q^w)/(w(1 − q)) ≤ x·plateau − (P − plateau) ⇒ j = ⌈τ·ln(…)⌉.
  const c = (P * (1 - q ** w)) / (w * (1 - q));
  const j = Math.ceil(tau * Math.log(c / (x * plateau - (P - plateau))));
  assert.equal(r.reachIndex, j + w - 1);
  assert.equal(r.reachStep, j + w - 1);
  const withSteps = speedPlateau(speeds, {
    window: w,
    tolerance: x,
    steps: speeds.map((_, k) => 250 * k),
  });
  assert.equal(withSteps.reachStep, 250 * (j + w - 1));
  // The tail's batch means differ by at most P·e^{−(n/2)/τ} (≈ 2e-17 here), which bounds the SE.
  assert.ok(r.standardError < P * Math.exp(-n / 2 / tau));
});

Deno.test("speedPlateau() batch-means standard error matches the Monte Carlo spread (white and AR(1) noise)", () => {
  const rng = Rng.fromSeed(17n);
  const n = 4000;
  const reps = 300;
  for (const phi of [0, 0.8]) {
    let meanSe2 = 0;
    let sum = 0;
    let sumSq = 0;
    for (let r = 0; r < reps; r++) {
      let e = rng.normal();
      const speeds = Array.from({ length: n }, () => {
        e = phi * e + Math.sqrt(1 - phi * phi) * rng.normal();
        return 1 + 0.1 * e;
      });
      const p = speedPlateau(speeds, { tailFraction: 0.5, batches: 20 });
      meanSe2 += p.standardError ** 2 / reps;
      sum += p.plateau;
      sumSq += p.plateau ** 2;
    }
    const mean = sum / reps;
    const var_ = (sumSq - reps * mean * mean) / (reps - 1);
    // Target variance of the tail mean of 2000 AR(1) samples: (0.01/2000)·(1+φ)/(1−φ) to O(1/(n(1−φ))).
    const target = (0.01 / 2000) * (1 + phi) / (1 - phi);
    // Monte Carlo: Var estimate from 300 reps has ≈ 8 % relative sd; mean SE² from 20 batches ≈ 2 %: 4σ ≈ 35 %.
    assertClose(var_, target, { rtol: 0.35 });
    assertClose(meanSe2, target, { rtol: 0.15 });
    assertClose(mean, 1, { rtol: 0, atol: 4 * Math.sqrt(target / reps) });
  }
});

Deno.test("speedPlateau() reports null when the moving average never reaches the plateau, and validates input", () => {
  // Alternating series with a 1-sample window never comes within 5 % of the mean 1.
  const r = speedPlateau([0, 2, 0, 2, 0, 2, 0, 2], { window: 1, batches: 2 });
  assert.equal(r.plateau, 1);
  assert.equal(r.reachIndex, null);
  assert.equal(r.reachStep, null);
  assert.throws(
    () => speedPlateau([1, 2, 3], { window: 1, steps: [1, 2] }),
    TypeError,
  );
  assert.throws(() => speedPlateau([1, NaN, 1]), RangeError);
  assert.throws(() => speedPlateau([1, 2, 3], { window: 4 }), RangeError);
  assert.throws(
    () => speedPlateau([1, 2, 3], { window: 1, tailFraction: 0 }),
    RangeError,
  );
  assert.throws(
    () => speedPlateau([1, 2, 3], { window: 1, tailFraction: 0.2 }),
    RangeError,
  );
  assert.throws(
    () => speedPlateau([1, 2, 3, 4], { window: 1, batches: 1 }),
    RangeError,
  );
});
