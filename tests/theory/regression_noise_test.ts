import assert from "node:assert/strict";
import {
  expectedRegressionNoiseCovariance,
  multiplicativeExcessEstimate,
  regressionStationaryCovariance,
} from "../../src/theory/regression_noise.ts";
import { discreteStationaryCovariance } from "../../src/theory/discrete_covariance.ts";
import { quadraticModel } from "../../src/theory/quadratic_model.ts";
import { fromData, type Matrix, matrix } from "../../src/linalg/matrix.ts";
import { cholesky } from "../../src/linalg/cholesky.ts";
import {
  empiricalHessian,
  gradientNoiseCovariance,
} from "../../src/sim/linear_regression_data.ts";
import { assertClose } from "../_util/assert_close.ts";

// Tiny data sets (N = 5, d = 2 and N = 4, d = 3), deliberately non-Gaussian and non-isotropic.
const DATA2 = {
  features: [1, 0.2, -0.5, 1.1, 1.4, -0.3, 0.1, -0.8, -1.2, 0.6],
  labels: [0.7, -0.4, 1.3, 0.2, -0.9],
  dim: 2,
};
const DATA3 = {
  features: [1, 0, 0.3, -0.4, 1.2, 0.5, 0.8, -0.6, -1, 0.2, 0.9, 0.4],
  labels: [1, -0.5, 0.3, 0.8],
  dim: 3,
};

type Mat = number[][];

function mul(a: Mat, b: Mat): Mat {
  return a.map((row) =>
    b[0]!.map((_, j) => row.reduce((s, v, l) => s + v * b[l]![j]!, 0))
  );
}

function tr(a: Mat): Mat {
  return a[0]!.map((_, j) => a.map((row) => row[j]!));
}

/**
 * Stationary second moment E zzᵀ of z = (θ − μ, b) by iterating its EXACT one-step expectation over every ordered
 * minibatch of S indices drawn with replacement (N^S equally likely batches): for batch B,
 * ĝ = (H_B + λ)(θ − μ) + e_B with H_B = (1/S)Σ_{r∈B} x_r x_rᵀ, e_B = (1/S)Σ_{r∈B} x_r(x_rᵀμ − y_r) + λμ, so
 * z' = A_B z + f_B, A_B = [[I − η(H_B+λ), −ηβ], [H_B+λ, β]], f_B = (−ηe_B, e_B), and
 * E z'z'ᵀ = avg_B [A_B Q A_Bᵀ + A_B m f_Bᵀ + f_B mᵀA_Bᵀ + f_B f_Bᵀ], E z' = avg_B [A_B m + f_B].
 * Nothing here uses Σ(θ) or the fluctuation formula. Returns Q and the mean after convergence.
 */
function enumeratedStationary(
  data: { features: number[]; labels: number[]; dim: number },
  eta: number,
  beta: number,
  batch: number,
  lam: number,
  mu: ArrayLike<number>,
): { q: Mat; m: number[] } {
  const d = data.dim;
  const n = data.labels.length;
  const q2 = 2 * d;
  const batches: number[][] = [[]];
  for (let s = 0; s < batch; s++) {
    const next: number[][] = [];
    for (const b of batches) for (let r = 0; r < n; r++) next.push([...b, r]);
    batches.splice(0, batches.length, ...next);
  }
  const sys = batches.map((b) => {
    const hb: Mat = Array.from({ length: d }, () => new Array(d).fill(0));
    const e = new Array(d).fill(0);
    for (const r of b) {
      const x = data.features.slice(r * d, r * d + d);
      const res = x.reduce((s, v, i) => s + v * mu[i]!, 0) - data.labels[r]!;
      for (let i = 0; i < d; i++) {
        e[i] += res * x[i]! / batch;
        for (let j = 0; j < d; j++) hb[i]![j]! += x[i]! * x[j]! / batch;
      }
    }
    for (let i = 0; i < d; i++) {
      e[i] += lam * mu[i]!;
      hb[i]![i]! += lam;
    }
    const a: Mat = Array.from(
      { length: q2 },
      (_, r) =>
        Array.from({ length: q2 }, (_, c) => {
          const i = r % d;
          const j = c % d;
          const id = i === j ? 1 : 0;
          if (r < d && c < d) return id - eta * hb[i]![j]!;
          if (r < d) return -eta * beta * id;
          if (c < d) return hb[i]![j]!;
          return beta * id;
        }),
    );
    const f = [...e.map((v) => -eta * v), ...e];
    return { a, at: tr(a), f };
  });
  let q: Mat = Array.from({ length: q2 }, () => new Array(q2).fill(0));
  let m = new Array(q2).fill(0);
  const w = 1 / batches.length;
  for (let k = 0; k < 100_000; k++) {
    const qn: Mat = Array.from({ length: q2 }, () => new Array(q2).fill(0));
    const mn = new Array(q2).fill(0);
    for (const { a, at, f } of sys) {
      const am = a.map((row) => row.reduce((s, v, l) => s + v * m[l]!, 0));
      const aqa = mul(mul(a, q), at);
      for (let r = 0; r < q2; r++) {
        mn[r] += w * (am[r]! + f[r]!);
        for (let c = 0; c < q2; c++) {
          qn[r]![c]! += w *
            (aqa[r]![c]! + am[r]! * f[c]! + f[r]! * am[c]! + f[r]! * f[c]!);
        }
      }
    }
    let change = 0;
    let scale = 0;
    for (let r = 0; r < q2; r++) {
      for (let c = 0; c < q2; c++) {
        change = Math.max(change, Math.abs(qn[r]![c]! - q[r]![c]!));
        scale = Math.max(scale, Math.abs(qn[r]![c]!));
      }
    }
    q = qn;
    m = mn;
    // Geometric convergence: at a per-step change of 1e-15 the remaining error is ≲ 1e-15/(1 − ρ) ≪ 1e-10.
    if (change <= 1e-15 * scale) break;
  }
  return { q, m };
}

function block(q: Mat, d: number, r0: number, c0: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) out.push(q[r0 + i]![c0 + j]!);
  }
  return out;
}

function assertMatClose(
  actual: Matrix,
  expected: ArrayLike<number>,
  rtol: number,
  msg: string,
): void {
  let scale = 0;
  for (let k = 0; k < expected.length; k++) {
    scale = Math.max(scale, Math.abs(expected[k]!));
  }
  for (let k = 0; k < expected.length; k++) {
    assertClose(actual.data[k]!, expected[k]!, { atol: rtol * scale }, msg);
  }
}

for (
  const [name, data, eta, beta, batch, lam] of [
    ["d = 2, N = 5, S = 1", DATA2, 0.4, 0.5, 1, 0],
    ["d = 2, N = 5, S = 2, λ = 0.1", DATA2, 0.6, 0.7, 2, 0.1],
    ["d = 3, N = 4, S = 2", DATA3, 0.3, 0.6, 2, 0],
    ["d = 3, N = 4, S = 1, λ = 0.05", DATA3, 0.2, 0.3, 1, 0.05],
  ] as const
) {
  Deno.test(`regressionStationaryCovariance() matches the enumerated exact second-moment recursion (${name})`, () => {
    const dirs = [
      1,
      0,
      ...new Array(data.dim - 2).fill(0),
      0.6,
      0.8,
      ...new Array(data.dim - 2).fill(0),
    ];
    const r = regressionStationaryCovariance(data, {
      eta,
      beta,
      batchSize: batch,
      weightDecay: lam,
      directions: dirs,
    });
    const d = data.dim;
    const { q, m } = enumeratedStationary(
      { ...data, features: [...data.features], labels: [...data.labels] },
      eta,
      beta,
      batch,
      lam,
      r.minimizer,
    );
    // The stationary mean of (θ − μ, b) is 0 (checks μ), so E zzᵀ is the covariance.
    for (const v of m) assert.ok(Math.abs(v) < 1e-12, `mean ${v}`);
    // 1e-10: float64 round-off accumulated over the ~10⁴ enumerated steps and the fixed point (tolerance 1e-14).
    assertMatClose(r.position, block(q, d, 0, 0), 1e-10, "position");
    assertMatClose(r.cross, block(q, d, 0, d), 1e-10, "cross");
    assertMatClose(r.buffer, block(q, d, d, d), 1e-10, "buffer");
    let trB = 0;
    for (let i = 0; i < d; i++) trB += q[d + i]![d + i]!;
    assertClose(r.speed, eta * eta * trB, { rtol: 1e-10 });
    const p = block(q, d, 0, 0);
    for (let a = 0; a < 2; a++) {
      const u = dirs.slice(a * d, a * d + d);
      let v = 0;
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) v += u[i]! * p[i * d + j]! * u[j]!;
      }
      assertClose(r.directionVariances[a]!, v, { rtol: 1e-10 });
    }
    // The multiplicative noise is resolved: the additive model is measurably low.
    assert.ok(r.speed > r.additive.speed * (1 + 1e-3));
  });
}

Deno.test("regressionStationaryCovariance() additive part equals discreteStationaryCovariance() with Σ(μ)", () => {
  const eta = 0.3;
  const beta = 0.6;
  const r = regressionStationaryCovariance(DATA3, {
    eta,
    beta,
    batchSize: 2,
    weightDecay: 0.02,
  });
  const sigma = gradientNoiseCovariance(
    DATA3.features,
    DATA3.labels,
    3,
    r.minimizer,
  );
  const model = quadraticModel({
    hessian: fromData(3, 3, empiricalHessian(DATA3.features, 3)),
    noiseCov: fromData(3, 3, sigma),
    eta,
    beta,
    batchSize: 2,
    weightDecay: 0.02,
  });
  const p = discreteStationaryCovariance(model, { method: "dense" });
  // 1e-11: two different float64 solvers (2×2 Stein per pair vs a 36×36 Kronecker solve).
  assertMatClose(r.additive.position, p.position.data, 1e-11, "position");
  assertMatClose(r.additive.cross, p.cross.data, 1e-11, "cross");
  assertMatClose(r.additive.buffer, p.buffer.data, 1e-11, "buffer");
  assertMatClose(r.additive.noiseCov, sigma, 1e-13, "Σ(μ)");
});

Deno.test("regressionStationaryCovariance() approaches the additive Lyapunov solution with relative excess ∝ η", () => {
  const rel = (eta: number) => {
    const r = regressionStationaryCovariance(DATA2, {
      eta,
      beta: 0.9,
      batchSize: 4,
    });
    const sigma = gradientNoiseCovariance(
      DATA2.features,
      DATA2.labels,
      2,
      r.minimizer,
    );
    const p = discreteStationaryCovariance(
      quadraticModel({
        hessian: fromData(2, 2, empiricalHessian(DATA2.features, 2)),
        noiseCov: fromData(2, 2, sigma),
        eta,
        beta: 0.9,
        batchSize: 4,
      }),
    );
    return r.position.data[0]! / p.position.data[0]! - 1;
  };
  const e3 = rel(1e-3);
  const e4 = rel(1e-4);
  const e5 = rel(1e-5);
  assert.ok(e3 > 0 && e4 > 0 && e5 > 0);
  // Linear in η: e(η) = aη + bη², so e(10η)/e(η) = 10(1 + 9(b/a)η + …): the ratio tends to 10 with a deviation
  // ∝ η. Tolerance 5·η_large (i.e. |b/a| ≲ 0.5, an O(1) coefficient for ηh ≪ 1) shrinks tenfold per decade.
  assertClose(e3 / e4, 10, { rtol: 5e-3 });
  assertClose(e4 / e5, 10, { rtol: 5e-4 });
});

Deno.test("regressionStationaryCovariance() in d = 1 equals the scalar closed form X = gΣ(μ)/(1 − g·Var(x²))", () => {
  // d = 1, β = 0: X = η²Σ_eff/(S(1 − (1 − ηh)²)) = gΣ_eff, Σ_eff = Σ(μ) + X·((1/N)Σx⁴ − h²).
  const data = { features: [0.5, 2, -1], labels: [1, 0, 0.3], dim: 1 };
  const eta = 0.4;
  const batch = 1;
  const x = data.features;
  const h = x.reduce((s, v) => s + v * v, 0) / 3;
  const m4 = x.reduce((s, v) => s + v ** 4, 0) / 3;
  const mu = x.reduce((s, v, i) => s + v * data.labels[i]!, 0) / 3 / h;
  const sigma0 = gradientNoiseCovariance(x, data.labels, 1, [mu])[0]!;
  const g = eta * eta / (batch * (1 - (1 - eta * h) ** 2));
  const expected = g * sigma0 / (1 - g * (m4 - h * h));
  const r = regressionStationaryCovariance(data, {
    eta,
    beta: 0,
    batchSize: batch,
  });
  assertClose(r.position.data[0]!, expected, { rtol: 1e-12 });
  assertClose(r.additive.position.data[0]!, g * sigma0, { rtol: 1e-13 });
});

Deno.test("expectedRegressionNoiseCovariance() equals the average of Σ(θ) over sigma points with the same mean and covariance", () => {
  // Σ(θ) is quadratic in θ, so its mean over the 2d points θ̄ ± √d·L e_i (L Lᵀ = X) is exactly E Σ(θ).
  const d = 3;
  const mean = [0.3, -0.2, 0.5];
  const cov = matrix([[0.5, 0.1, -0.05], [0.1, 0.3, 0.02], [
    -0.05,
    0.02,
    0.2,
  ]]);
  const l = cholesky(cov);
  const avg = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (const sgn of [1, -1]) {
      const th = mean.map((v, a) =>
        v + sgn * Math.sqrt(d) * l.data[a * d + i]!
      );
      const s = gradientNoiseCovariance(DATA3.features, DATA3.labels, d, th);
      for (let k = 0; k < d * d; k++) avg[k]! += s[k]! / (2 * d);
    }
  }
  const e = expectedRegressionNoiseCovariance(DATA3, mean, cov);
  assertMatClose(e, avg, 1e-13, "E Σ(θ)");
  const at = expectedRegressionNoiseCovariance(DATA3, mean);
  assertMatClose(
    at,
    gradientNoiseCovariance(DATA3.features, DATA3.labels, d, mean),
    1e-14,
    "Σ(θ̄)",
  );
});

Deno.test("multiplicativeExcessEstimate() is η trH/(2S(1−β)) and the exact excess has that order", () => {
  assertClose(
    multiplicativeExcessEstimate(4, { eta: 0.1, beta: 0.5, batchSize: 2 }),
    0.2,
    { rtol: 1e-15 },
  );
  assert.throws(
    () =>
      multiplicativeExcessEstimate(-1, { eta: 0.1, beta: 0.5, batchSize: 2 }),
    RangeError,
  );
  const r = regressionStationaryCovariance(DATA2, {
    eta: 0.01,
    beta: 0.9,
    batchSize: 2,
  });
  const est = multiplicativeExcessEstimate(r.traceHessian, {
    eta: 0.01,
    beta: 0.9,
    batchSize: 2,
  });
  const exact = r.speed / r.additive.speed - 1;
  // An order-of-magnitude estimate (Gaussian, isotropic features): same order, not equal.
  assert.ok(exact > est / 5 && exact < est * 5, `${exact} vs ${est}`);
});

Deno.test("regressionStationaryCovariance() rejects bad input and mean-square unstable chains", () => {
  const hp = { eta: 0.1, beta: 0.5, batchSize: 1 };
  assert.throws(
    () => regressionStationaryCovariance({ ...DATA2, dim: 3 }, hp),
    TypeError,
  );
  assert.throws(
    () => regressionStationaryCovariance(DATA2, { ...hp, eta: -1 }),
    RangeError,
  );
  assert.throws(
    () =>
      regressionStationaryCovariance(DATA2, { ...hp, directions: [1, 0, 0] }),
    TypeError,
  );
  assert.throws(
    () =>
      regressionStationaryCovariance({
        features: [1, 0, 2, 0],
        labels: [1, 2],
        dim: 2,
      }, hp),
    RangeError, // singular H, λ = 0
  );
  assert.throws(
    () => regressionStationaryCovariance(DATA2, { ...hp, eta: 10 }),
    RangeError, // η h_max ≥ 2(1+β)
  );
  // d = 1, x = (0.5, 2): h = 2.125, Var(x²) ≈ 3.5; at ηh = 1.9, β = 0, S = 1 the gain g·Var(x²) ≈ 15 > 1 although
  // the mean recursion is stable: no finite stationary second moment.
  assert.throws(
    () =>
      regressionStationaryCovariance(
        { features: [0.5, 2], labels: [1, 0], dim: 1 },
        { eta: 1.9 / 2.125, beta: 0, batchSize: 1 },
      ),
    RangeError,
  );
  assert.throws(
    () => expectedRegressionNoiseCovariance(DATA2, [0]),
    TypeError,
  );
  assert.throws(
    () => expectedRegressionNoiseCovariance(DATA2, [0, NaN]),
    RangeError,
  );
});
