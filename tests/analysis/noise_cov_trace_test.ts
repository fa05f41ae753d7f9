import assert from "node:assert/strict";
import { Rng } from "../../src/random/rng.ts";
import {
  NoiseCovTrace,
  noiseCovTrace,
  predictedSpeed,
  withoutReplacementFactor,
} from "../../src/analysis/noise_cov_trace.ts";
import { assertClose } from "../_util/assert_close.ts";

function randomGrads(rng: Rng, n: number, d: number, offset = 0) {
  return Array.from({ length: n }, () => {
    const g = rng.fillNormal(new Float64Array(d));
    for (let j = 0; j < d; j++) g[j] = g[j]! * (1 + j) + offset;
    return g;
  });
}

/** tr of the dense covariance matrix Σ = (1/N)Σ (gᵢ − ḡ)(gᵢ − ḡ)ᵀ built entry by entry (two-pass). */
function denseTrace(grads: Float64Array[]): number {
  const n = grads.length;
  const d = grads[0]!.length;
  const mean = new Float64Array(d);
  for (const g of grads) {
    for (let j = 0; j < d; j++) mean[j] = mean[j]! + g[j]! / n;
  }
  const cov = new Float64Array(d * d);
  for (const g of grads) {
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) {
        cov[r * d + c] = cov[r * d + c]! +
          (g[r]! - mean[r]!) * (g[c]! - mean[c]!) / n;
      }
    }
  }
  let t = 0;
  for (let r = 0; r < d; r++) t += cov[r * d + r]!;
  return t;
}

Deno.test("noiseCovTrace() equals the trace of the dense covariance matrix and (1/N)Σ‖g‖² − ‖ḡ‖²", () => {
  const grads = randomGrads(Rng.fromSeed(1n), 37, 6);
  const r = noiseCovTrace(grads);
  // Different summation orders: agreement to a few hundred ε.
  assertClose(r.trace, denseTrace(grads), { rtol: 1e-13 });
  assertClose(r.trace, r.meanSquaredNorm - r.meanGradientNormSq, {
    rtol: 1e-12,
  });
  assertClose(r.unbiasedTrace, r.trace * 37 / 36, { rtol: 1e-15 });
  assert.equal(r.count, 37);
});

Deno.test("NoiseCovTrace streams one-by-one and in chunks (Float32Array too) with the same result", () => {
  const grads = randomGrads(Rng.fromSeed(2n), 20, 5).map((g) =>
    Float64Array.from(g, Math.fround)
  );
  const one = new NoiseCovTrace(5);
  for (const g of grads) one.add(g);
  const chunked = new NoiseCovTrace(5);
  const flat = new Float32Array(20 * 5);
  grads.forEach((g, i) => flat.set(g, i * 5));
  chunked.addChunk(flat.subarray(0, 35)).addChunk(flat.subarray(35), 13);
  // Identical float64 arithmetic in the same order: exactly equal.
  assert.deepEqual(chunked.result(), one.result());
  assert.equal(chunked.count, 20);
});

Deno.test("NoiseCovTrace stays accurate when the mean gradient dominates (‖ḡ‖² ≫ tr Σ)", () => {
  const grads = randomGrads(Rng.fromSeed(3n), 50, 4, 1e6);
  const r = noiseCovTrace(grads);
  // Two-pass reference; the naive difference loses ~12 digits here (‖ḡ‖² ≈ 4e12 vs tr Σ ≈ 30).
  assertClose(r.trace, denseTrace(grads), { rtol: 1e-9 });
});

Deno.test("NoiseCovTrace errors: wrong lengths, non-finite values, empty input", () => {
  const acc = new NoiseCovTrace(3);
  assert.throws(() => acc.add([1, 2]), TypeError);
  assert.throws(() => acc.addChunk([1, 2, 3, 4]), TypeError);
  assert.throws(() => acc.add([1, NaN, 3]), RangeError);
  assert.throws(() => acc.result(), RangeError);
  assert.throws(() => noiseCovTrace([]), RangeError);
  assert.throws(() => noiseCovTrace([[1, 2], [1]]), TypeError);
  assert.throws(() => new NoiseCovTrace(0), RangeError);
  acc.add([1, 2, 3]);
  assert.equal(acc.result().trace, 0);
  assert.ok(Number.isNaN(acc.result().unbiasedTrace));
});

/** All k-subsets of {0, …, n−1}. */
function subsets(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  if (n < k) return [];
  return [
    ...subsets(n - 1, k),
    ...subsets(n - 1, k - 1).map((s) => [...s, n - 1]),
  ];
}

Deno.test("withoutReplacementFactor() matches exact enumeration of all minibatches", () => {
  // Variance of the minibatch mean over all C(N, S) batches = (σ²/S)·(N−S)/(N−1), σ² the population variance.
  const x = [0.3, -1.2, 2.5, 0.7, 4.1, -0.6, 1.9];
  const n = x.length;
  const mu = x.reduce((a, b) => a + b) / n;
  const sigma2 = x.reduce((a, b) => a + (b - mu) ** 2, 0) / n;
  for (let s = 1; s <= n; s++) {
    const batches = subsets(n, s);
    let v = 0;
    for (const b of batches) {
      const m = b.reduce((a, i) => a + x[i]!, 0) / s;
      v += (m - mu) ** 2 / batches.length;
    }
    // Enumeration sums ≤ 35 terms: a few ε relative; at S = N both sides are 0 up to round-off.
    assertClose(
      (sigma2 / s) * withoutReplacementFactor(n, s),
      v,
      { rtol: 1e-13, atol: 1e-15 },
      `S=${s}`,
    );
  }
  assert.throws(() => withoutReplacementFactor(5, 6), RangeError);
  assert.throws(() => withoutReplacementFactor(1, 1), RangeError);
  assert.throws(() => withoutReplacementFactor(5, 1.5), RangeError);
});

Deno.test("predictedSpeed() equals the stationary limit of the momentum-buffer variance recursion (h → 0)", () => {
  // With zero curvature, b_{k+1} = β b_k + ξ_k, Var ξ = sᵢ/S per mode, δ_k = −η b_{k+1}:
  // iterate Var b ← β² Var b + sᵢ/S to its fixed point and sum η² Var b over modes.
  const s = [0.5, 2, 3.5];
  for (const beta of [0, 0.5, 0.9, -0.3]) {
    for (const [eta, batchSize] of [[0.1, 4], [1e-3, 256]] as const) {
      let speed = 0;
      for (const si of s) {
        let v = 0;
        for (let k = 0; k < 2000; k++) v = beta * beta * v + si / batchSize;
        speed += eta * eta * v;
      }
      // Fixed-point iteration converges like β^(2k) (< 1e-180 after 2000 steps); round-off ~1e-15.
      assertClose(
        predictedSpeed({ eta, beta, batchSize, traceSigma: 6 }),
        speed,
        { rtol: 1e-13 },
      );
    }
  }
  assert.throws(
    () => predictedSpeed({ eta: 0, beta: 0.9, batchSize: 1, traceSigma: 1 }),
    RangeError,
  );
  assert.throws(
    () => predictedSpeed({ eta: 1, beta: 1, batchSize: 1, traceSigma: 1 }),
    RangeError,
  );
  assert.throws(
    () => predictedSpeed({ eta: 1, beta: 0, batchSize: 1, traceSigma: -1 }),
    RangeError,
  );
});
