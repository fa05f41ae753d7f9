import assert from "node:assert/strict";
import { Rng } from "../../src/random/rng.ts";
import { diag, type Matrix, matrix, zeros } from "../../src/linalg/matrix.ts";
import {
  add,
  matMul,
  matVec,
  maxAbs,
  sub,
  transpose,
} from "../../src/linalg/matrix_ops.ts";
import { solveDiscreteLyapunov } from "../../src/linalg/lyapunov.ts";
import { quadraticModel } from "../../src/theory/quadratic_model.ts";
import {
  discreteMoments,
  discreteNoiseCovariance,
  discreteStationaryCovariance,
  discreteTransitionMatrix,
  hasStationaryLaw,
  isStable,
} from "../../src/theory/discrete_covariance.ts";
import {
  discreteModeAngularMomentum,
  discreteModeStationary,
} from "../../src/theory/discrete_mode.ts";
import { stationaryCovarianceClosedForm } from "../../src/theory/continuous_covariance.ts";
import { assertAllClose } from "../_util/assert_close.ts";
import { randomGaussian, randomPsd } from "../linalg/_random_matrices.ts";

const HP = { eta: 0.05, beta: 0.7, batchSize: 4, weightDecay: 0.2 };

/** M and N written out from H, Σ in the original basis (theory.md §7.1), independent of the eigen route. */
function handSystem(h: Matrix, sigma: Matrix, hp = HP) {
  const d = h.rows;
  const n = 2 * d;
  const { eta, beta, batchSize, weightDecay } = hp;
  const m = zeros(n);
  const nn = zeros(n);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const hl = h.data[i * d + j]! + (i === j ? weightDecay : 0);
      m.data[i * n + j] = (i === j ? 1 : 0) - eta * hl;
      m.data[(d + i) * n + j] = hl;
      const s = sigma.data[i * d + j]! / batchSize;
      nn.data[i * n + j] = eta * eta * s;
      nn.data[i * n + d + j] = -eta * s;
      nn.data[(d + i) * n + j] = -eta * s;
      nn.data[(d + i) * n + d + j] = s;
    }
    m.data[i * n + d + i] = -eta * beta;
    m.data[(d + i) * n + d + i] = beta;
  }
  return { m, nn };
}

function randomModel(rng: Rng, d: number, hp = HP) {
  const h = randomPsd(rng, d, d, 6);
  const sigma = randomPsd(rng, d, d, 2);
  return {
    h,
    sigma,
    model: quadraticModel({ hessian: h, noiseCov: sigma, ...hp }),
  };
}

Deno.test("discreteTransitionMatrix() and discreteNoiseCovariance() equal the hand-built M and N", () => {
  const { h, sigma, model } = randomModel(Rng.fromSeed(61n), 3);
  const { m, nn } = handSystem(h, sigma);
  assertAllClose(discreteTransitionMatrix(model).data, m.data, {
    rtol: 1e-15,
    atol: 1e-17,
  });
  assertAllClose(discreteNoiseCovariance(model).data, nn.data, {
    rtol: 1e-15,
    atol: 0,
  });
});

Deno.test("discreteMoments() equals direct iteration of z ← Mz, P ← MPMᵀ + N from a Gaussian start (d = 1..4)", () => {
  const rng = Rng.fromSeed(62n);
  for (let d = 1; d <= 4; d++) {
    const { h, sigma, model } = randomModel(rng, d);
    const { m, nn } = handSystem(h, sigma);
    const n = 2 * d;
    const m0 = randomGaussian(rng, n, 1).data;
    const c0 = randomPsd(rng, n, n, 0.2);
    let mean: Float64Array = m0.slice();
    let p = c0;
    for (let k = 0; k <= 300; k++) {
      if ([0, 1, 2, 5, 33, 300].includes(k)) {
        const got = discreteMoments(model, k, { mean0: m0, cov0: c0 });
        // k-step recursions accumulate ~k·ε relative round-off; eigen-rotations add d·ε.
        assertAllClose(
          got.mean,
          mean,
          { rtol: 0, atol: 1e-12 },
          `mean d=${d} k=${k}`,
        );
        assertAllClose(got.cov.full.data, p.data, {
          rtol: 0,
          atol: 1e-12 * Math.max(1, maxAbs(p)),
        }, `cov d=${d} k=${k}`);
      }
      mean = matVec(m, mean);
      p = add(matMul(matMul(m, p), transpose(m)), nn);
    }
  }
});

Deno.test("discreteStationaryCovariance(): eigenbasis Stein = dense = hand Kronecker solve (non-commuting, d = 1..5)", () => {
  const rng = Rng.fromSeed(63n);
  for (let d = 1; d <= 5; d++) {
    const { h, sigma, model } = randomModel(rng, d);
    assert.equal(isStable(model), true);
    const { m, nn } = handSystem(h, sigma);
    const ref = solveDiscreteLyapunov(m, nn);
    const tol = { rtol: 0, atol: 1e-11 * maxAbs(ref) }; // LU on conditioned Stein systems, κ ≲ 1e3
    assertAllClose(
      discreteStationaryCovariance(model).full.data,
      ref.data,
      tol,
      `eigen d=${d}`,
    );
    assertAllClose(
      discreteStationaryCovariance(model, { method: "dense" }).full.data,
      ref.data,
      tol,
      `dense d=${d}`,
    );
    // Diagonal blocks in the eigenbasis depend on s_i only and equal the per-mode closed forms.
    const pe = discreteStationaryCovariance(model, { basis: "eigen" });
    const st = discreteModeStationary(model.curvatures, model.noiseDiag, model);
    for (let i = 0; i < d; i++) {
      const n = 2 * d;
      assertAllClose(
        [
          pe.full.data[i * n + i]!,
          pe.full.data[i * n + d + i]!,
          pe.full.data[(d + i) * n + d + i]!,
        ],
        [st.varX[i]!, st.covXB[i]!, st.varB[i]!],
        { rtol: 1e-11, atol: 0 },
      );
      // Angular momentum from P and the lag-one cross-covariance K = M P (per unit time).
      const mm = discreteTransitionMatrix(model, { basis: "eigen" });
      const k = matMul(mm, pe.full);
      const l = (-k.data[(d + i) * n + i]! + pe.full.data[i * n + d + i]! -
        HP.eta * k.data[(d + i) * n + d + i]!) / HP.eta;
      assertAllClose(
        [l],
        discreteModeAngularMomentum([model.curvatures[i]!], [
          model.noiseDiag[i]!,
        ], HP),
        { rtol: 1e-10, atol: 0 },
      );
    }
  }
});

Deno.test("discrete → continuous as η → 0: position and velocity covariances converge with error O(ηh)", () => {
  const rng = Rng.fromSeed(64n);
  const h = randomPsd(rng, 3, 3, 2);
  const sigma = randomPsd(rng, 3);
  let prevErr = Infinity;
  for (const eta of [1e-2, 1e-3, 1e-4]) {
    const hp = { ...HP, eta };
    const model = quadraticModel({ hessian: h, noiseCov: sigma, ...hp });
    const disc = discreteStationaryCovariance(model);
    const cont = stationaryCovarianceClosedForm(model);
    const err = Math.max(
      maxAbs(sub(disc.position, cont.position)) / maxAbs(cont.position),
      maxAbs(sub(disc.buffer, cont.velocity)) / maxAbs(cont.velocity),
    );
    const budget = eta * Math.max(...model.curvatures) / (2 * (1 + hp.beta));
    // Per mode the relative difference is c_h − 1 ≈ ηh/(2(1+β)) (§7.1); off-diagonal entries mix modes,
    // so allow 3× the largest per-mode budget (asymptotic O(η) statement, not round-off).
    assert.ok(
      err < 3 * budget + 1e-12,
      `η=${eta}: err ${err} vs budget ${budget}`,
    );
    assert.ok(err < prevErr / 5, "error shrinks ~linearly in η");
    prevErr = err;
  }
});

Deno.test("discrete stationary functions throw RangeError when unstable or a flat mode is noisy; isStable() flags it", () => {
  const hp = { ...HP, weightDecay: 0 };
  const unstable = quadraticModel({
    hessian: diag([1, 100]),
    noiseCov: diag([1, 1]),
    ...hp,
  });
  assert.equal(isStable(unstable), false); // ηh = 5 > 3.4
  assert.equal(hasStationaryLaw(unstable), false);
  assert.throws(() => discreteStationaryCovariance(unstable), RangeError);
  assert.ok(
    Number.isFinite(discreteMoments(unstable, 10).cov.position.data[3]!),
  );
  const flat = quadraticModel({
    hessian: diag([0, 1]),
    noiseCov: matrix([[1, 0], [0, 1]]),
    ...hp,
  });
  assert.equal(isStable(flat), true);
  assert.equal(hasStationaryLaw(flat), false);
  assert.throws(() => discreteStationaryCovariance(flat), RangeError);
  const quiet = quadraticModel({
    hessian: diag([1, 2]),
    noiseCov: zeros(2),
    ...hp,
  });
  assert.equal(maxAbs(discreteStationaryCovariance(quiet).full), 0);
  assert.equal(maxAbs(discreteMoments(quiet, 17).cov.full), 0);
  assert.throws(() => discreteMoments(quiet, 2.5), RangeError);
  assert.throws(() => discreteMoments(quiet, 2, { mean0: [1] }), TypeError);
});
