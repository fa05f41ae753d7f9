import assert from "node:assert/strict";
import { Rng } from "../../src/random/rng.ts";
import { diag, type Matrix, matrix, zeros } from "../../src/linalg/matrix.ts";
import {
  add,
  congruence,
  matMul,
  maxAbs,
  scale,
  sub,
  trace,
  transpose,
} from "../../src/linalg/matrix_ops.ts";
import { symmetricEigen } from "../../src/linalg/symmetric_eigen.ts";
import { solveContinuousLyapunov } from "../../src/linalg/lyapunov.ts";
import { assertPsd } from "../../src/linalg/validate.ts";
import { quadraticModel } from "../../src/theory/quadratic_model.ts";
import {
  commutatorNorm,
  continuousMoments,
  diffusionMatrix,
  driftMatrix,
  stationaryCovarianceClosedForm,
  stationaryCovarianceCommuting,
  stationaryCovarianceLyapunov,
} from "../../src/theory/continuous_covariance.ts";
import { assertAllClose } from "../_util/assert_close.ts";
import { randomGaussian, randomPsd } from "../linalg/_random_matrices.ts";
import { integrateOuMoments } from "./_ode.ts";

const HP = { eta: 0.05, beta: 0.6, batchSize: 3, weightDecay: 0.1 };

/** Independent A and 2D built by hand from H, Σ in the original basis (theory.md §3.2). */
function handDrift(
  h: Matrix,
  sigma: Matrix,
  hp = HP,
): { a: Matrix; d2: Matrix } {
  const d = h.rows;
  const n = 2 * d;
  const m = hp.eta * (1 + hp.beta) / 2;
  const fr = 2 * (1 - hp.beta) / (hp.eta * (1 + hp.beta));
  const dv = 2 / (hp.eta * hp.batchSize * (1 + hp.beta) ** 2);
  const a = zeros(n);
  const d2 = zeros(n);
  for (let i = 0; i < d; i++) {
    a.data[i * n + d + i] = -1;
    a.data[(d + i) * n + d + i] = fr;
    for (let j = 0; j < d; j++) {
      a.data[(d + i) * n + j] =
        (h.data[i * d + j]! + (i === j ? hp.weightDecay : 0)) / m;
      d2.data[(d + i) * n + d + j] = 2 * dv * sigma.data[i * d + j]!;
    }
  }
  return { a, d2 };
}

function randomModel(rng: Rng, d: number, hp = HP) {
  const h = randomPsd(rng, d, d, 4);
  const sigma = randomPsd(rng, d, d, 2);
  return {
    h,
    sigma,
    model: quadraticModel({ hessian: h, noiseCov: sigma, ...hp }),
  };
}

Deno.test("driftMatrix() and diffusionMatrix() equal the hand-built A and D of theory.md §3.2", () => {
  const { h, sigma, model } = randomModel(Rng.fromSeed(31n), 3);
  const { a, d2 } = handDrift(h, sigma);
  assertAllClose(driftMatrix(model).data, a.data, { rtol: 1e-15, atol: 0 });
  assertAllClose(scale(diffusionMatrix(model), 2).data, d2.data, {
    rtol: 1e-15,
    atol: 0,
  });
});

Deno.test("stationary covariance: closed form = eigenbasis Lyapunov = dense Lyapunov = hand Kronecker solve (non-commuting, d = 1..5)", () => {
  const rng = Rng.fromSeed(32n);
  for (let d = 1; d <= 5; d++) {
    const { h, sigma, model } = randomModel(rng, d);
    const { a, d2 } = handDrift(h, sigma);
    const ref = solveContinuousLyapunov(a, d2); // independent: built from H, Σ by hand
    const scaleRef = maxAbs(ref);
    // Eigen-rotations and LU: round-off O(d·κ·ε)·‖C‖; κ(A) ≤ ~1e3 here, so 1e-11 relative.
    const tol = { rtol: 0, atol: 1e-11 * scaleRef };
    assertAllClose(
      stationaryCovarianceClosedForm(model).full.data,
      ref.data,
      tol,
      `closed form d=${d}`,
    );
    assertAllClose(
      stationaryCovarianceLyapunov(model).full.data,
      ref.data,
      tol,
      `eigenbasis d=${d}`,
    );
    assertAllClose(
      stationaryCovarianceLyapunov(model, { method: "dense" }).full.data,
      ref.data,
      tol,
      `dense d=${d}`,
    );
  }
});

Deno.test("stationary covariance invariants: symmetric PSD, Y antisymmetric in eigenbasis, tr Z = tr Σ/(S(1−β²)), Y = 0 iff commuting", () => {
  const rng = Rng.fromSeed(33n);
  for (let d = 1; d <= 5; d++) {
    const { sigma, model } = randomModel(rng, d);
    const c = stationaryCovarianceClosedForm(model);
    assertPsd(c.full, { rtol: 1e-12 });
    const ce = stationaryCovarianceClosedForm(model, { basis: "eigen" });
    assertAllClose(ce.cross.data, scale(transpose(ce.cross), -1).data, {
      rtol: 0,
      atol: 1e-15 * maxAbs(ce.full),
    });
    const trZ = trace(c.velocity);
    const expected = trace(sigma) / (HP.batchSize * (1 - HP.beta ** 2));
    assert.ok(
      Math.abs(trZ - expected) <= 1e-13 * expected,
      `tr Z ${trZ} vs ${expected}`,
    );
    if (d > 1) {
      assert.ok(
        maxAbs(c.cross) > 1e-6 * maxAbs(c.full),
        "non-commuting ⇒ Y ≠ 0",
      );
    }
  }
  // Commuting: Σ = f(H) = 0.5 H² + H ⇒ Y = 0 and the three routes agree with the commuting closed form.
  for (let d = 1; d <= 5; d++) {
    const h = randomPsd(rng, d, d, 2);
    const sigma = add(scale(matMul(h, h), 0.5), h);
    const model = quadraticModel({ hessian: h, noiseCov: sigma, ...HP });
    assert.ok(commutatorNorm(model) < 1e-13);
    const comm = stationaryCovarianceCommuting(model);
    const cf = stationaryCovarianceClosedForm(model);
    const tol = { rtol: 0, atol: 1e-12 * maxAbs(cf.full) };
    assertAllClose(comm.full.data, cf.full.data, tol);
    assertAllClose(
      stationaryCovarianceLyapunov(model).full.data,
      cf.full.data,
      tol,
    );
    assert.ok(maxAbs(cf.cross) <= 1e-12 * maxAbs(cf.full));
    // Hand formula: Cov θ = η/(2S(1−β)) (H + λI)⁻¹ Σ evaluated via the eigen-decomposition of H.
    const { values, vectors } = symmetricEigen(h);
    const tTheta = HP.eta / (2 * HP.batchSize * (1 - HP.beta));
    const sTilde = congruence(transpose(vectors), sigma);
    const xt = zeros(d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        xt.data[i * d + j] = tTheta * sTilde.data[i * d + j]! /
          (values[i]! + HP.weightDecay);
      }
    }
    assertAllClose(comm.position.data, congruence(vectors, xt).data, tol);
  }
});

Deno.test("stationaryCovarianceCommuting() throws RangeError for non-commuting Σ; zero noise gives zero covariance", () => {
  const model = quadraticModel({
    hessian: diag([1, 2]),
    noiseCov: matrix([[1, 0.3], [0.3, 1]]),
    ...HP,
  });
  assert.throws(() => stationaryCovarianceCommuting(model), RangeError);
  const quiet = quadraticModel({
    hessian: diag([1, 2]),
    noiseCov: zeros(2),
    ...HP,
  });
  for (
    const c of [
      stationaryCovarianceCommuting(quiet),
      stationaryCovarianceClosedForm(quiet),
      stationaryCovarianceLyapunov(quiet),
      stationaryCovarianceLyapunov(quiet, { method: "dense" }),
      continuousMoments(quiet, 3).cov,
    ]
  ) {
    assert.equal(maxAbs(c.full), 0);
  }
});

Deno.test("stationary functions throw RangeError when a zero-curvature mode has noise; allow it when the mode is silent", () => {
  const hp = { ...HP, weightDecay: 0 };
  const noisy = quadraticModel({
    hessian: diag([0, 1]),
    noiseCov: diag([1, 1]),
    ...hp,
  });
  assert.throws(() => stationaryCovarianceClosedForm(noisy), RangeError);
  assert.throws(() => stationaryCovarianceLyapunov(noisy), RangeError);
  assert.throws(() => stationaryCovarianceCommuting(noisy), RangeError);
  const silent = quadraticModel({
    hessian: diag([0, 1]),
    noiseCov: diag([0, 1]),
    ...hp,
  });
  const c = stationaryCovarianceClosedForm(silent);
  assert.equal(c.position.data[0], 0);
  // Σ = σ²H with a singular H: flat directions do not fluctuate (theory.md §3.4).
  const v = randomGaussian(Rng.fromSeed(34n), 3, 2);
  const hSing = matMul(v, transpose(v));
  const m2 = quadraticModel({
    hessian: hSing,
    noiseCov: scale(hSing, 0.5),
    ...hp,
  });
  assertPsd(stationaryCovarianceClosedForm(m2).full);
});

Deno.test("continuousMoments() matches RK4 integration of dm/dt = −Am, dC/dt = −AC − CAᵀ + 2D from a Gaussian start (d = 1..3)", () => {
  const rng = Rng.fromSeed(35n);
  for (let d = 1; d <= 3; d++) {
    const { h, sigma, model } = randomModel(rng, d);
    const { a, d2 } = handDrift(h, sigma);
    const n = 2 * d;
    const m0 = randomGaussian(rng, n, 1).data;
    const c0 = randomPsd(rng, n, n, 0.3);
    // Stiffest rate ~ ‖A‖ ≤ ~300 here (1/m·h); dt = 1e-4 keeps RK4 error (‖A‖dt)⁵ per step ~ 1e-7·… ≪ 1e-9 overall.
    for (const t of [0.01, 0.2]) {
      const steps = Math.ceil(t / 1e-4);
      const ref = integrateOuMoments(a.data, d2.data, n, m0, c0.data, t, steps);
      const got = continuousMoments(model, t, { mean0: m0, cov0: c0 });
      const tolM = {
        rtol: 0,
        atol: 1e-9 * Math.max(1, maxAbs({ rows: 1, cols: n, data: ref.mean })),
      };
      assertAllClose(got.mean, ref.mean, tolM, `mean d=${d} t=${t}`);
      const tolC = { rtol: 0, atol: 1e-9 * Math.max(...ref.cov.map(Math.abs)) };
      assertAllClose(got.cov.full.data, ref.cov, tolC, `cov d=${d} t=${t}`);
    }
  }
});

Deno.test("continuousMoments() converges to the stationary covariance and handles free (h = 0) noisy modes", () => {
  const rng = Rng.fromSeed(36n);
  const { model } = randomModel(rng, 3);
  const late = continuousMoments(model, 400);
  const ss = stationaryCovarianceClosedForm(model);
  // Slowest rate ≥ h_min(1−β)… ≈ 0.1/(1−β)·… ⇒ e^{−2·0.25·400} negligible; round-off 1e-12 relative.
  assertAllClose(late.cov.full.data, ss.full.data, {
    rtol: 0,
    atol: 1e-11 * maxAbs(ss.full),
  });
  // Free particle pair (h_i = h_j = 0) inside a larger model: compare with RK4.
  const hp = { ...HP, weightDecay: 0 };
  const hf = diag([0, 0, 2]);
  const sf = matrix([[1, 0.5, 0.2], [0.5, 2, 0.1], [0.2, 0.1, 1]]);
  const mf = quadraticModel({ hessian: hf, noiseCov: sf, ...hp });
  const { a, d2 } = handDrift(hf, sf, hp);
  const t = 0.3;
  const ref = integrateOuMoments(
    a.data,
    d2.data,
    6,
    new Float64Array(6),
    new Float64Array(36),
    t,
    3000,
  );
  const got = continuousMoments(mf, t);
  assertAllClose(got.cov.full.data, ref.cov, {
    rtol: 0,
    atol: 1e-9 * Math.max(...ref.cov.map(Math.abs)),
  });
});

Deno.test("continuousMoments() eigen-basis input/output agrees with rotating the original-basis result", () => {
  const rng = Rng.fromSeed(37n);
  const { model } = randomModel(rng, 3);
  const m0 = [0.1, -0.2, 0.3, 0, 0.5, 0];
  const orig = continuousMoments(model, 0.1, { mean0: m0 });
  const u = model.eigenvectors;
  const ut = transpose(u);
  const toE = (x: number[]) => {
    const out = new Float64Array(6);
    for (let b = 0; b < 2; b++) {
      for (let i = 0; i < 3; i++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += ut.data[i * 3 + k]! * x[b * 3 + k]!;
        out[b * 3 + i] = s;
      }
    }
    return out;
  };
  const eig = continuousMoments(model, 0.1, { mean0: toE(m0), basis: "eigen" });
  assertAllClose(eig.mean, toE(Array.from(orig.mean)), {
    rtol: 0,
    atol: 1e-14,
  });
  assertAllClose(congruence(u, eig.cov.position).data, orig.cov.position.data, {
    rtol: 0,
    atol: 1e-14 * maxAbs(orig.cov.full),
  });
  assert.throws(
    () => continuousMoments(model, 0.1, { mean0: [1, 2] }),
    TypeError,
  );
  assert.throws(() => continuousMoments(model, -1), RangeError);
  assert.throws(
    () => continuousMoments(model, 1, { cov0: diag([1, 1, 1, 1, 1, -1]) }),
    RangeError,
  );
  const nonSym = zeros(6);
  nonSym.data[1] = 1;
  assert.throws(() => continuousMoments(model, 1, { cov0: nonSym }), TypeError);
  assert.ok(maxAbs(sub(orig.cov.full, transpose(orig.cov.full))) === 0);
});
