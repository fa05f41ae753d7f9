import assert from "node:assert/strict";
import {
  empiricalHessian,
  gradientNoiseCovariance,
  powerLawEigenvalues,
  regressionMinimizer,
  syntheticRegressionData,
} from "../../src/sim/linear_regression_data.ts";
import { covarianceMatrix } from "../../src/stats/covariance_matrix.ts";
import { Rng } from "../../src/random/rng.ts";
import { assertAllClose, assertClose } from "../_util/assert_close.ts";

const EIG = [2, 1, 0.25];
const N = 20_000;
const SIGMA = 0.5;
const data = syntheticRegressionData({
  samples: N,
  eigenvalues: EIG,
  labelNoise: SIGMA,
  thetaStar: [1, 2, -1],
}, Rng.fromSeed(301n));

Deno.test("powerLawEigenvalues() is λ₁·(i+1)^(−α)", () => {
  assertAllClose(powerLawEigenvalues(4, 2, 0.5), [
    2,
    2 / Math.SQRT2,
    2 / Math.sqrt(3),
    1,
  ]);
  assert.throws(() => powerLawEigenvalues(0, 1, 1), RangeError);
  assert.throws(() => powerLawEigenvalues(3, 0, 1), RangeError);
});

Deno.test("syntheticRegressionData() has population Hessian diag(λ) and label-noise variance σ² (4σ)", () => {
  const H = empiricalHessian(data.features, 3);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      // Var of (1/N)Σ x_i x_j for Gaussian features: (λ_iλ_j + [i=j]λ_i²)/N.
      const expected = i === j ? EIG[i]! : 0;
      const sd = Math.sqrt(
        (EIG[i]! * EIG[j]! + (i === j ? EIG[i]! ** 2 : 0)) / N,
      );
      assertClose(H[i * 3 + j]!, expected, { atol: 4 * sd }, `H[${i},${j}]`);
    }
  }
  let rss = 0;
  for (let r = 0; r < N; r++) {
    const x = data.features.subarray(r * 3, r * 3 + 3);
    const e = data.labels[r]! - (x[0]! + 2 * x[1]! - x[2]!);
    rss += e * e;
  }
  // Var of the mean of ε²σ²: 2σ⁴/N.
  assertClose(rss / N, SIGMA ** 2, { atol: 4 * Math.sqrt(2 / N) * SIGMA ** 2 });
});

Deno.test("regressionMinimizer() solves the regularised normal equations", () => {
  for (const wd of [0, 0.3]) {
    const mu = regressionMinimizer(data.features, data.labels, 3, wd);
    const grad = [0, 0, 0].map((_, i) => wd * mu[i]!);
    for (let r = 0; r < N; r++) {
      let e = -data.labels[r]!;
      for (let i = 0; i < 3; i++) e += data.features[r * 3 + i]! * mu[i]!;
      for (let i = 0; i < 3; i++) {
        grad[i]! += (e * data.features[r * 3 + i]!) / N;
      }
    }
    // Gradient at the solution: round-off of an N-term sum, ~N·eps·|terms|.
    for (const g of grad) assertClose(g, 0, { atol: 1e-11 });
  }
  assert.throws(
    () => regressionMinimizer([1, 1, 2, 2], [1, 2], 2, 0),
    RangeError,
  );
});

Deno.test("gradientNoiseCovariance() equals the centred covariance of per-example gradients", () => {
  const theta = [0.5, 1, 0];
  const g = new Float64Array(N * 3);
  for (let r = 0; r < N; r++) {
    let e = -data.labels[r]!;
    for (let i = 0; i < 3; i++) e += data.features[r * 3 + i]! * theta[i]!;
    for (let i = 0; i < 3; i++) g[r * 3 + i] = e * data.features[r * 3 + i]!;
  }
  // covarianceMatrix divides by N − 1; Σ(θ) is the population (1/N) covariance.
  const ref = covarianceMatrix(g, 3).map((v) => (v * (N - 1)) / N);
  // Raw-moment vs two-pass formulas: cancellation ~ |mean|²·eps·N relative to entries of size ~10.
  assertAllClose(
    gradientNoiseCovariance(data.features, data.labels, 3, theta),
    ref,
    { rtol: 1e-9, atol: 1e-12 },
  );
});

Deno.test("gradientNoiseCovariance() at θ* is ≈ σ²H (theory §3.1)", () => {
  const sig = gradientNoiseCovariance(data.features, data.labels, 3, [
    1,
    2,
    -1,
  ]);
  const H = empiricalHessian(data.features, 3);
  for (let i = 0; i < 3; i++) {
    // Σ_ii − σ²H_ii = (1/N)Σ(ε² − σ²)x_i² − ḡ_i²: sd σ²λ_i√(6/N) (E(ε²−σ²)² = 2σ⁴, E x⁴ = 3λ²), bias ~σ²λ_i/N.
    const scale = SIGMA ** 2 * EIG[i]!;
    assertClose(sig[i * 4]!, SIGMA ** 2 * H[i * 4]!, {
      atol: 4 * scale * Math.sqrt(6 / N) + 10 * scale / N,
    });
  }
});

Deno.test("data helpers throw on inconsistent shapes", () => {
  assert.throws(() => empiricalHessian([1, 2, 3], 2), TypeError);
  assert.throws(() => gradientNoiseCovariance([1, 2], [1], 2, [1]), TypeError);
  assert.throws(() => regressionMinimizer([1, 2], [1, 2], 2, 0), TypeError);
  assert.throws(
    () =>
      syntheticRegressionData(
        { samples: 0, eigenvalues: [1], labelNoise: 1 },
        Rng.fromSeed(1n),
      ),
    RangeError,
  );
  assert.throws(
    () =>
      syntheticRegressionData({
        samples: 2,
        eigenvalues: [1],
        labelNoise: 1,
        thetaStar: [1, 2],
      }, Rng.fromSeed(1n)),
    TypeError,
  );
});
