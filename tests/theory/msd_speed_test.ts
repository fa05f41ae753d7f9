import assert from "node:assert/strict";
import { Rng } from "../../src/random/rng.ts";
import { matVec, trace, transpose } from "../../src/linalg/matrix_ops.ts";
import { quadraticModel } from "../../src/theory/quadratic_model.ts";
import {
  continuousMsdFromOffset,
  continuousMsdFromStationarity,
  discreteMsdFromOffset,
  discreteMsdFromStationarity,
} from "../../src/theory/msd.ts";
import {
  continuousSpeed,
  discreteSpeed,
  isotropyRatios,
} from "../../src/theory/speed.ts";
import { continuousErrorBudget } from "../../src/theory/error_budget.ts";
import { stationaryCovarianceClosedForm } from "../../src/theory/continuous_covariance.ts";
import {
  discreteMoments,
  discreteStationaryCovariance,
} from "../../src/theory/discrete_covariance.ts";
import { assertClose } from "../_util/assert_close.ts";
import { randomGaussian, randomPsd } from "../linalg/_random_matrices.ts";
import { integrateOuMoments } from "./_ode.ts";

// η = 0.1, β = 0.5: γ = 10/3, critical h = 5/6; modes span all regimes and a free one.
const HP = { eta: 0.1, beta: 0.5, batchSize: 4 };
const H = [5, 5 / 6, 0.1, 0];
const S = [1.5, 0.7, 2, 0.4];
const A = [0.3, -0.2, 0.5, 0.1];

function modeAD(h: number, s: number) {
  const m = HP.eta * (1 + HP.beta) / 2;
  const fr = (1 - HP.beta) / m;
  const q = 4 * s / (HP.eta * HP.batchSize * (1 + HP.beta) ** 2);
  return {
    a: new Float64Array([0, -1, h / m, fr]),
    d2: new Float64Array([0, 0, 0, q]),
  };
}

Deno.test("continuousMsdFromOffset() equals Σ[(E x − a)² + Var x] from RK4 integration of each mode", () => {
  for (const t of [0.05, 0.6, 3]) {
    let ref = 0;
    H.forEach((h, i) => {
      const { a, d2 } = modeAD(h, S[i]!);
      const r = integrateOuMoments(
        a,
        d2,
        2,
        new Float64Array([A[i]!, 0]),
        new Float64Array(4),
        t,
        Math.ceil(t * 5000),
      );
      ref += (r.mean[0]! - A[i]!) ** 2 + r.cov[0]!;
    });
    // RK4 with dt = 2e-4 on rates ≤ 10: error ≪ 1e-10 relative (see continuous_mode_test.ts).
    assertClose(continuousMsdFromOffset(t, A, H, S, HP), ref, {
      rtol: 1e-9,
      atol: 0,
    }, `t=${t}`);
  }
});

Deno.test("continuousMsdFromStationarity() equals 2 tr X − 2 E[x_t x_0] with the lag covariance from RK4", () => {
  const hs = H.slice(0, 3);
  const ss = S.slice(0, 3);
  for (const t of [0.05, 0.6, 3]) {
    let ref = 0;
    hs.forEach((h, i) => {
      const { a, d2 } = modeAD(h, ss[i]!);
      const x = HP.eta * ss[i]! / (2 * HP.batchSize * (1 - HP.beta) * h);
      const z = ss[i]! / (HP.batchSize * (1 - HP.beta ** 2));
      // E[z_t x_0] solves dm/dt = −A m from the column C_ss e_x = (X, 0)ᵀ (Cov(x, v) = 0 stationary).
      const lag = integrateOuMoments(
        a,
        d2,
        2,
        new Float64Array([x, 0]),
        new Float64Array([x, 0, 0, z]),
        t,
        Math.ceil(t * 5000),
      );
      ref += 2 * x - 2 * lag.mean[0]!;
    });
    assertClose(continuousMsdFromStationarity(t, hs, ss, HP), ref, {
      rtol: 1e-9,
      atol: 0,
    }, `t=${t}`);
  }
  assert.equal(continuousMsdFromStationarity(1, H, S, HP), Infinity); // h = 0 with s > 0
  assert.equal(continuousMsdFromStationarity(0, H, S, HP), 0);
});

Deno.test("discreteMsdFromOffset() equals ‖E θ_k − θ₀‖² + tr Cov θ_k from discreteMoments on a non-commuting model", () => {
  const rng = Rng.fromSeed(71n);
  const hp = { eta: 0.05, beta: 0.8, batchSize: 2, weightDecay: 0.05 };
  const model = quadraticModel({
    hessian: randomPsd(rng, 4, 4, 5),
    noiseCov: randomPsd(rng, 4),
    ...hp,
  });
  const theta0 = randomGaussian(rng, 4, 1).data; // θ₀ − μ
  const a = matVec(transpose(model.eigenvectors), theta0); // a_i = u_iᵀ(θ₀ − μ)
  for (const k of [1, 2, 10, 123, 1000]) {
    const mom = discreteMoments(model, k, { mean0: [...theta0, 0, 0, 0, 0] });
    let ref = trace(mom.cov.position);
    for (let i = 0; i < 4; i++) ref += (mom.mean[i]! - theta0[i]!) ** 2;
    // Two different evaluation orders (eigen pairs + rotation vs per-mode sums): ~1e-13 relative.
    assertClose(
      discreteMsdFromOffset(k, a, model.curvatures, model.noiseDiag, hp),
      ref,
      { rtol: 1e-11, atol: 0 },
      `k=${k}`,
    );
  }
});

Deno.test("discreteMsdFromStationarity() equals iterating the lag covariance from the stationary state", () => {
  const hp = { eta: 0.02, beta: 0.9, batchSize: 8 };
  const hs = [0.5, 5, 60, 150];
  const ss = [1, 2, 0.5, 1];
  const model = quadraticModel({
    hessian: {
      rows: 4,
      cols: 4,
      data: new Float64Array([
        0.5,
        0,
        0,
        0,
        0,
        5,
        0,
        0,
        0,
        0,
        60,
        0,
        0,
        0,
        0,
        150,
      ]),
    },
    noiseCov: {
      rows: 4,
      cols: 4,
      data: new Float64Array([
        1,
        0,
        0,
        0,
        0,
        2,
        0,
        0,
        0,
        0,
        0.5,
        0,
        0,
        0,
        0,
        1,
      ]),
    },
    ...hp,
  });
  const p = discreteStationaryCovariance(model, { method: "dense" }); // independent Kronecker solve
  for (const k of [1, 3, 50, 400]) {
    let ref = 0;
    for (let i = 0; i < 4; i++) {
      const h = hs[i]!;
      let cx = p.full.data[i * 8 + i]!;
      let cb = p.full.data[(4 + i) * 8 + i]!;
      for (let j = 0; j < k; j++) {
        const nb = h * cx + hp.beta * cb;
        cx = cx - hp.eta * nb;
        cb = nb;
      }
      ref += 2 * (p.full.data[i * 8 + i]! - cx);
    }
    assertClose(discreteMsdFromStationarity(k, hs, ss, hp), ref, {
      rtol: 1e-10,
      atol: 0,
    }, `k=${k}`);
  }
  // Large offset, long time: MSD → Σ(a² + Var x) (continuous and discrete with their own Var x).
  const big = discreteMsdFromOffset(100_000, [1, 1, 1, 1], hs, ss, hp);
  let lim = 0;
  for (let i = 0; i < 4; i++) lim += 1 + p.full.data[i * 8 + i]!;
  assertClose(big, lim, { rtol: 1e-10, atol: 0 });
});

Deno.test("continuousSpeed() = η² tr Z and discreteSpeed() = η² tr Cov b (dense discrete Lyapunov), non-commuting Σ", () => {
  const rng = Rng.fromSeed(72n);
  const hp = { eta: 0.05, beta: 0.8, batchSize: 2, weightDecay: 0.05 };
  const model = quadraticModel({
    hessian: randomPsd(rng, 4, 4, 5),
    noiseCov: randomPsd(rng, 4),
    ...hp,
  });
  const h = model.curvatures;
  const s = model.noiseDiag;
  const cont = stationaryCovarianceClosedForm(model);
  assertClose(continuousSpeed(s, hp), hp.eta ** 2 * trace(cont.velocity), {
    rtol: 1e-13,
    atol: 0,
  });
  const disc = discreteStationaryCovariance(model, { method: "dense" });
  assertClose(discreteSpeed(h, s, hp), hp.eta ** 2 * trace(disc.buffer), {
    rtol: 1e-11,
    atol: 0,
  });
  const budget = continuousErrorBudget(h, s, hp);
  assertClose(
    discreteSpeed(h, s, hp) / continuousSpeed(s, hp) - 1,
    budget.speedRelativeError,
    { rtol: 1e-12, atol: 0 },
  );
  assert.ok(budget.weightedRatio <= budget.maxRatio);
  // First order: (c − 1) ≈ r for small r ⇒ speedRelativeError ≈ weightedRatio (+ O(r²)).
  assert.ok(
    Math.abs(budget.speedRelativeError - budget.weightedRatio) <
      2 * budget.maxRatio ** 2,
  );
  assert.equal(discreteSpeed([1, 1e4], [1, 0], hp), Infinity);
  assert.equal(
    continuousErrorBudget([1, 1e4], [1, 0], hp).speedRelativeError,
    (0.05 / 3.6) / (1 - 0.05 / 3.6),
  );
});

Deno.test("isotropyRatios() with Σ = σ²H: continuous ratios are λ_i/(λ_i+λ) over their mean; discrete within O(ηh)", () => {
  const hp = { eta: 0.01, beta: 0.9, batchSize: 8 };
  const lam = [1, 10, 100];
  const wd = 0.5;
  const sigma2 = 0.3;
  const h = lam.map((l) => l + wd);
  const s = lam.map((l) => sigma2 * l);
  const shape = lam.map((l) => l / (l + wd));
  const mean = shape.reduce((p, c) => p + c, 0) / 3;
  const r = isotropyRatios(h, s, hp);
  shape.forEach((v, i) =>
    assertClose(r[i]!, v / mean, { rtol: 1e-14, atol: 0 })
  );
  const rd = isotropyRatios(h, s, hp, { discrete: true });
  const maxR = hp.eta * Math.max(...h) / (2 * (1 + hp.beta));
  rd.forEach((v, i) => assert.ok(Math.abs(v / r[i]! - 1) < 2 * maxR));
  assert.ok(isotropyRatios([0, 1], [1, 1], hp).every(Number.isNaN));
});
