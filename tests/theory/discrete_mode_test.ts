import assert from "node:assert/strict";
import { Rng } from "../../src/random/rng.ts";
import { matrix } from "../../src/linalg/matrix.ts";
import { solveDiscreteLyapunov } from "../../src/linalg/lyapunov.ts";
import {
  discreteCorrectionFactor,
  discreteModeAngularMomentum,
  discreteModeAutocorrelation,
  discreteModeMoments,
  discreteModeStationary,
  isModeStable,
  unstableModes,
} from "../../src/theory/discrete_mode.ts";
import { modeStationaryVariances } from "../../src/theory/continuous_mode.ts";
import { modeAngularMomentum } from "../../src/theory/fokker_planck.ts";
import { assertClose } from "../_util/assert_close.ts";

const HP = { eta: 0.02, beta: 0.9, batchSize: 8 };
// ηh ∈ {0.01, 0.1, 1.2, 3.0}: overdamped … near the stability edge 2(1+β) = 3.8.
const HS = [0.5, 5, 60, 150];

/** Direct iteration of the (x, b) recursion: mean and covariance after k steps (independent route). */
function iterate(
  k: number,
  x0: number,
  b0: number,
  h: number,
  s: number,
  hp = HP,
) {
  const { eta, beta, batchSize } = hp;
  let mx = x0;
  let mb = b0;
  let pxx = 0;
  let pxb = 0;
  let pbb = 0;
  const nv = s / batchSize;
  for (let i = 0; i < k; i++) {
    // b' = h x + β b + ξ ; x' = x − η b' = (1−ηh)x − ηβ b − η ξ
    const nb = h * mx + beta * mb;
    const nx = mx - eta * nb;
    const bb = h * h * pxx + 2 * h * beta * pxb + beta * beta * pbb + nv;
    const xb = h * pxx + beta * pxb; // E[x b'] (ξ independent of x)
    const cxb = xb - eta * bb; // E[x' b'] = E[x b'] − η E[b'²]
    const cxx = pxx - 2 * eta * xb + eta * eta * bb;
    mx = nx;
    mb = nb;
    pxx = cxx;
    pxb = cxb;
    pbb = bb;
  }
  return { mx, mb, pxx, pxb, pbb };
}

/** AR(2)/ψ route of theory.md §7.1 from (a, b₀ = 0). */
function psiRoute(k: number, a: number, h: number, s: number, hp = HP) {
  const { eta, beta, batchSize } = hp;
  const p = 1 + beta - eta * h;
  // m₋₁ = m₀ = a
  let mPrev = a;
  let m = a;
  for (let i = 0; i < k; i++) {
    const next = p * m - beta * mPrev;
    mPrev = m;
    m = next;
  }
  // ψ₀ = 1, ψ₁ = p
  let psiPrev = 1;
  let psi = p;
  let sum = 0;
  for (let j = 0; j < k; j++) {
    const pj = j === 0 ? 1 : psi;
    sum += pj * pj;
    if (j >= 1) {
      const next = p * psi - beta * psiPrev;
      psiPrev = psi;
      psi = next;
    }
  }
  return { mean: m, varX: eta * eta * s / batchSize * sum };
}

// Iterated sums of O(k) terms: relative round-off ≲ k·ε; 1e-11 for k ≤ 3000.
const TOL = { rtol: 1e-11, atol: 1e-300 };

Deno.test("discreteModeMoments() equals direct iteration of the (x, b) recursion and the AR(2)/ψ formulas", () => {
  for (const h of [...HS, 0]) {
    for (const k of [0, 1, 2, 3, 7, 64, 1000, 2999]) {
      const got = discreteModeMoments(k, 0.7, 0, h, 1.3, HP);
      const it = iterate(k, 0.7, 0, h, 1.3);
      const atol = 1e-14 * Math.max(1, Math.abs(it.pxx), Math.abs(it.pbb));
      assertClose(
        got.meanX,
        it.mx,
        { ...TOL, atol: 1e-13 },
        `mean x h=${h} k=${k}`,
      );
      assertClose(
        got.meanB,
        it.mb,
        { ...TOL, atol: 1e-13 },
        `mean b h=${h} k=${k}`,
      );
      assertClose(got.varX, it.pxx, { ...TOL, atol }, `var x h=${h} k=${k}`);
      assertClose(got.covXB, it.pxb, { ...TOL, atol }, `cov xb h=${h} k=${k}`);
      assertClose(got.varB, it.pbb, { ...TOL, atol }, `var b h=${h} k=${k}`);
      const psi = psiRoute(k, 0.7, h, 1.3);
      assertClose(
        got.meanX,
        psi.mean,
        { ...TOL, atol: 1e-13 },
        `ψ mean h=${h} k=${k}`,
      );
      assertClose(got.varX, psi.varX, { ...TOL, atol }, `ψ var h=${h} k=${k}`);
    }
  }
  // Non-zero initial buffer and an unstable mode (ηh = 4 > 3.8) stay exact for finite k.
  for (const h of [5, 200]) {
    const got = discreteModeMoments(40, -0.3, 0.8, h, 2, HP);
    const it = iterate(40, -0.3, 0.8, h, 2);
    assertClose(got.meanX, it.mx, { rtol: 1e-11, atol: 1e-13 });
    assertClose(got.meanB, it.mb, { rtol: 1e-11, atol: 1e-13 });
    assertClose(got.varX, it.pxx, { rtol: 1e-11, atol: 0 });
  }
});

Deno.test("discreteModeStationary() = discrete Lyapunov fixed point = long iteration, and equals continuous × c_h", () => {
  const s = 1.7;
  const st = discreteModeStationary(HS, HS.map(() => s), HP);
  const cont = modeStationaryVariances(HS, HS.map(() => s), HP);
  HS.forEach((h, i) => {
    const { eta, beta, batchSize } = HP;
    const m = matrix([[1 - eta * h, -eta * beta], [h, beta]]);
    const n = matrix([[eta * eta * s / batchSize, -eta * s / batchSize], [
      -eta * s / batchSize,
      s / batchSize,
    ]]);
    const p = solveDiscreteLyapunov(m, n);
    assertClose(
      st.varX[i]!,
      p.data[0]!,
      { rtol: 1e-12, atol: 0 },
      `Var x h=${h}`,
    ); // 4×4 LU round-off
    assertClose(
      st.covXB[i]!,
      p.data[1]!,
      { rtol: 1e-12, atol: 0 },
      `E[xb] h=${h}`,
    );
    assertClose(
      st.varB[i]!,
      p.data[3]!,
      { rtol: 1e-12, atol: 0 },
      `Var b h=${h}`,
    );
    const c = discreteCorrectionFactor(h, HP);
    assertClose(c, 1 / (1 - eta * h / (2 * (1 + beta))));
    assertClose(st.varX[i]! / cont.varX[i]!, c, { rtol: 1e-14, atol: 0 }); // identity, few-ulp round-off
    assertClose(st.varB[i]! / cont.varV[i]!, c, { rtol: 1e-14, atol: 0 });
    const corr = -st.covXB[i]! / Math.sqrt(st.varX[i]! * st.varB[i]!);
    assertClose(st.corrXV[i]!, corr, { rtol: 1e-14, atol: 0 });
    assertClose(st.corrXV[i]!, Math.sqrt(eta * h / (2 * (1 + beta))), {
      rtol: 1e-15,
      atol: 0,
    });
  });
  // Long iteration converges to the same fixed point (slowest mode ηh = 0.01 decays like (1 − 0.01/0.1)^k).
  const it = iterate(3000, 0, 0, 5, s);
  assertClose(st.varX[1]!, it.pxx, { rtol: 1e-11, atol: 0 });
});

Deno.test("discreteModeStationary() marks unstable and free noisy modes; zero noise gives zeros", () => {
  const r = discreteModeStationary([0, 0, 200, 200, 1], [1, 0, 1, 0, 0], HP);
  assert.equal(r.varX[0], Infinity);
  assertClose(r.varB[0]!, 1 / (8 * (1 - 0.81))); // b is an AR(1) with coefficient β when h = 0
  assert.ok(Number.isNaN(r.corrXV[0]!));
  assert.equal(r.varX[1], 0);
  assert.equal(r.varX[2], Infinity);
  assert.equal(r.varB[2], Infinity);
  assert.equal(r.varX[3], 0);
  assert.equal(r.varX[4], 0);
  assert.equal(discreteCorrectionFactor(190, HP), Infinity); // ηh = 3.8 exactly
  assert.equal(isModeStable(189.9, HP), true);
  assert.equal(isModeStable(190, HP), false);
  assert.deepEqual(unstableModes([1, 190, 2, 1e4], HP), [1, 3]);
  assert.throws(() => discreteModeStationary([1], [1, 2], HP), TypeError);
  assert.throws(() => discreteModeMoments(1.5, 0, 0, 1, 1, HP), RangeError);
  assert.throws(() => discreteModeMoments(-1, 0, 0, 1, 1, HP), RangeError);
});

Deno.test("discreteModeAutocorrelation() matches the ρ recursion of theory.md §7.1 and iterating the state", () => {
  for (const h of HS) {
    const { eta, beta } = HP;
    const p = 1 + beta - eta * h;
    let r0 = 1;
    let r1 = p / (1 + beta);
    assertClose(discreteModeAutocorrelation(0, h, HP), 1);
    assertClose(discreteModeAutocorrelation(1, h, HP), r1, {
      rtol: 1e-14,
      atol: 0,
    });
    for (let n = 2; n <= 200; n++) {
      const next = p * r1 - beta * r0;
      r0 = r1;
      r1 = next;
      // Recursion and matrix power accumulate round-off differently: ~n·ε relative to ρ's scale 1.
      assertClose(discreteModeAutocorrelation(n, h, HP), r1, {
        rtol: 0,
        atol: 1e-12,
      }, `h=${h} n=${n}`);
    }
    // Independent: lag-n covariance from the iterated stationary state, E[x_{k+n} x_k] = (Mⁿ P)₁₁ by iteration.
    const st = iterate(4000, 0, 0, h, 1);
    // column (E[x_{k+j} x_k], E[b_{k+j} x_k])
    let cx = st.pxx;
    let cb = st.pxb;
    for (let j = 0; j < 25; j++) {
      const nb = h * cx + beta * cb;
      cx = cx - eta * nb;
      cb = nb;
    }
    assertClose(discreteModeAutocorrelation(25, h, HP), cx / st.pxx, {
      rtol: 1e-9,
      atol: 1e-12,
    });
  }
  assert.equal(discreteModeAutocorrelation(5, 0, HP), 1);
  assert.ok(Number.isNaN(discreteModeAutocorrelation(5, 500, HP)));
});

Deno.test("discreteModeAngularMomentum() matches a seeded simulation and tends to −(1+β)/2 × the continuous −2Z", () => {
  // Monte Carlo: simulate x, b with Gaussian ξ and average x_k Δv_k − v_k Δx_k (v = −b) per unit time.
  const hp = { eta: 0.05, beta: 0.6, batchSize: 1 };
  const h = 4;
  const s = 1;
  const rng = Rng.fromSeed(51n);
  const { eta, beta } = hp;
  let x = 0;
  let b = 0;
  const burn = 2000;
  const n = 400_000;
  const nBatches = 40;
  const batchMeans: number[] = [];
  let acc = 0;
  for (let k = 0; k < burn + n; k++) {
    const nb = beta * b + h * x + Math.sqrt(s) * rng.normal();
    const nx = x - eta * nb;
    if (k >= burn) {
      const v = -b;
      const nv = -nb;
      acc += (x * (nv - v) - v * (nx - x)) / eta;
      if ((k - burn + 1) % (n / nBatches) === 0) {
        batchMeans.push(acc / (n / nBatches));
        acc = 0;
      }
    }
    x = nx;
    b = nb;
  }
  const mean = batchMeans.reduce((p, c) => p + c, 0) / nBatches;
  const sd = Math.sqrt(
    batchMeans.reduce((p, c) => p + (c - mean) ** 2, 0) / (nBatches - 1),
  );
  const se = sd / Math.sqrt(nBatches);
  const pred = discreteModeAngularMomentum([h], [s], hp)[0]!;
  assert.ok(Math.abs(mean - pred) < 4 * se, `MC ${mean} ± ${se} vs ${pred}`); // 4σ batch-means error
  assertClose(pred, -s / (hp.batchSize * (1 - beta)), { rtol: 1e-13, atol: 0 });
  const cont = modeAngularMomentum([s], hp)[0]!;
  assertClose(pred / cont, (1 + beta) / 2, { rtol: 1e-13, atol: 0 });
  // The continuous prediction is far outside the Monte-Carlo band here (ratio 0.8).
  assert.ok(Math.abs(mean - cont) > 10 * se);
});
