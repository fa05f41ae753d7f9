import assert from "node:assert/strict";
import { simulateQuadraticSgd } from "../../src/sim/simulate_quadratic_sgd.ts";
import { Rng } from "../../src/random/rng.ts";
import { mean, standardError } from "../../src/stats/summary.ts";
import { assertClose } from "../_util/assert_close.ts";

// Exact discrete references are computed here, independently of src/theory: the per-mode 2×2 second-moment
// recursion P_{k+1} = M P_k Mᵀ + N in the state (x, b) (theory §7.1), with
//   b_{k+1} = h x_k + β b_k + ξ,  x_{k+1} = (1 − ηh) x_k − ηβ b_k − ηξ,  Var ξ = s/S,
// i.e. M = [[1 − ηh, −ηβ], [h, β]], N = (s/S)·[[η², −η], [−η, 1]].
// Monte-Carlo tolerances are 4 standard errors of the ensemble estimator (states are exactly Gaussian):
// SE(sample variance) = σ²√(2/(n−1)), SE(sample covariance) = √((σ_a²σ_b² + c²)/(n−1)).

interface Moments {
  xx: number;
  xb: number;
  bb: number;
}

/** P_0..P_K of one mode from a deterministic start (P_0 = 0). */
function modeRecursion(
  h: number,
  s: number,
  eta: number,
  beta: number,
  batch: number,
  steps: number,
): Moments[] {
  const m00 = 1 - eta * h;
  const m01 = -eta * beta;
  const m10 = h;
  const m11 = beta;
  const q = s / batch;
  const out: Moments[] = [{ xx: 0, xb: 0, bb: 0 }];
  let { xx, xb, bb } = out[0]!;
  for (let k = 0; k < steps; k++) {
    const nxx = m00 * m00 * xx + 2 * m00 * m01 * xb + m01 * m01 * bb +
      eta * eta * q;
    const nxb = m00 * m10 * xx + (m00 * m11 + m01 * m10) * xb + m01 * m11 * bb -
      eta * q;
    const nbb = m10 * m10 * xx + 2 * m10 * m11 * xb + m11 * m11 * bb + q;
    xx = nxx;
    xb = nxb;
    bb = nbb;
    out.push({ xx, xb, bb });
  }
  return out;
}

/** Mean x_k of one mode from x_0 = a, b_0 = 0: m_{k+1} = (1+β−ηh) m_k − β m_{k−1}, m_{−1} = m_0 = a. */
function meanRecursion(
  h: number,
  a: number,
  eta: number,
  beta: number,
  steps: number,
): number[] {
  const m = [a];
  let prev = a;
  let cur = a;
  for (let k = 0; k < steps; k++) {
    const next = (1 + beta - eta * h) * cur - beta * prev;
    prev = cur;
    cur = next;
    m.push(cur);
  }
  return m;
}

const ETA = 0.1;
const BETA = 0.9;
const S = 4;
// ηh = 0.012, 0.3, 1.2, 3.0 (stability edge 2(1+β) = 3.8).
const EIG = [0.12, 3, 12, 30];
const NOISE = [1, 2, 0.5, 1];

Deno.test("simulateQuadraticSgd() variances, covariance, speed and MSD match the exact 2×2 recursion", () => {
  const chains = 20_000;
  const steps = 600;
  const recSteps = [1, 2, 5, 20, 100, 400, 599];
  const res = simulateQuadraticSgd({
    eigenvalues: EIG,
    eta: ETA,
    beta: BETA,
    batchSize: S,
    noiseVariances: NOISE,
    chains,
    steps,
    record: { steps: recSteps, speedAverageFrom: 300 },
  }, Rng.fromSeed(101n));
  assert.equal(res.status, "ok");
  const rec = res.record;
  const P = EIG.map((h, i) => modeRecursion(h, NOISE[i]!, ETA, BETA, S, steps));
  const n = chains;
  recSteps.forEach((k, r) => {
    let speed = 0;
    let speedVar = 0;
    let msd = 0;
    let msdVar = 0;
    for (let i = 0; i < EIG.length; i++) {
      const p = P[i]![k]!;
      const o = r * EIG.length + i;
      const tag = `k=${k} mode ${i}`;
      assertClose(rec.thetaVariance[o]!, p.xx, {
        atol: 4 * p.xx * Math.sqrt(2 / (n - 1)),
      }, tag);
      // v = −b: same variance, covariance with x flips sign.
      assertClose(rec.velocityVariance[o]!, p.bb, {
        atol: 4 * p.bb * Math.sqrt(2 / (n - 1)),
      }, tag);
      assertClose(rec.thetaVelocityCovariance[o]!, -p.xb, {
        atol: 4 * Math.sqrt((p.xx * p.bb + p.xb * p.xb) / (n - 1)),
      }, tag);
      // Means are 0 from a start at the minimum: SE √(Var/n).
      assertClose(rec.thetaMean[o]!, 0, { atol: 4 * Math.sqrt(p.xx / n) }, tag);
      const pn = P[i]![k + 1]!;
      speed += ETA * ETA * pn.bb;
      speedVar += 2 * (ETA * ETA * pn.bb) ** 2;
      msd += p.xx;
      msdVar += 2 * p.xx * p.xx;
    }
    // Sums of independent squared Gaussians: Var = Σ 2σ⁴.
    assertClose(
      rec.speed[r]!,
      speed,
      { atol: 4 * Math.sqrt(speedVar / n) },
      `speed k=${k}`,
    );
    assertClose(
      rec.msd[r]!,
      msd,
      { atol: 4 * Math.sqrt(msdVar / n) },
      `msd k=${k}`,
    );
  });

  // The recursion has converged by k = 599 to the closed forms of theory §7.1 (C1–C3, C5 with c_h).
  let c1 = 0;
  EIG.forEach((h, i) => {
    const s = NOISE[i]!;
    const p = P[i]![599]!;
    const ch = 1 / (1 - (ETA * h) / (2 * (1 + BETA)));
    // Converged geometric recursion (|z| = √β per step over 599 steps): round-off level.
    assertClose(p.xx, (ETA * s) / (2 * S * (1 - BETA) * h) * ch, {
      rtol: 1e-9,
    });
    assertClose(p.bb, s / (S * (1 - BETA * BETA)) * ch, { rtol: 1e-9 });
    assertClose(p.xb, (-ETA * s) / (2 * S * (1 - BETA * BETA)) * ch, {
      rtol: 1e-9,
    });
    c1 += (ETA * ETA * s) / (S * (1 - BETA * BETA)) * ch;
    // The continuous-time formula (no c_h) is clearly rejected where ηh is not small (ηh = 1.2, 3.0).
    if (ETA * h > 1) {
      const o = 6 * EIG.length + i;
      const cont = (ETA * s) / (2 * S * (1 - BETA) * h);
      const se = p.xx * Math.sqrt(2 / (n - 1));
      assert.ok(
        Math.abs(rec.thetaVariance[o]! - cont) > 10 * se,
        `mode ${i} continuous not rejected`,
      );
    }
  });
  // C1: per-chain time averages of ‖δ_k‖² over k ∈ [300, 600) are independent across chains ⇒ SE over chains.
  const avg = rec.speedChainAverage!;
  assert.equal(avg.length, chains);
  assertClose(mean(avg), c1, { atol: 4 * standardError(avg) }, "C1 speed");
});

Deno.test("simulateQuadraticSgd() angular momentum E[x Δv − v Δx] matches the exact moments", () => {
  const chains = 20_000;
  const recSteps = [3, 50, 299];
  const res = simulateQuadraticSgd({
    eigenvalues: EIG,
    eta: ETA,
    beta: BETA,
    batchSize: S,
    noiseVariances: NOISE,
    chains,
    steps: 300,
    record: { steps: recSteps },
  }, Rng.fromSeed(102n));
  // With v_k = −b_k, Δv = −(b_{k+1} − b_k), Δx = −η b_{k+1}:
  // L = −x_k b_{k+1} + x_k b_k − η b_k b_{k+1}, E[x_k b_{k+1}] = βP_xb + hP_xx, E[b_k b_{k+1}] = βP_bb + hP_xb.
  recSteps.forEach((k, r) => {
    EIG.forEach((h, i) => {
      const P = modeRecursion(h, NOISE[i]!, ETA, BETA, S, k + 1);
      const p = P[k]!;
      const bNext = P[k + 1]!.bb;
      const xbn = BETA * p.xb + h * p.xx;
      const bbn = BETA * p.bb + h * p.xb;
      const expected = -xbn + p.xb - ETA * bbn;
      // Var(ab) = E a² E b² + (E ab)² for zero-mean Gaussians; bound sd(L) by the sum of the terms' sd.
      const sd = Math.sqrt(p.xx * bNext + xbn * xbn) +
        Math.sqrt(p.xx * p.bb + p.xb * p.xb) +
        ETA * Math.sqrt(p.bb * bNext + bbn * bbn);
      assertClose(res.record.angularMomentum[r * EIG.length + i]!, expected, {
        atol: 4 * sd / Math.sqrt(chains),
      }, `k=${k} mode ${i}`);
    });
  });
});

Deno.test("simulateQuadraticSgd() mean trajectory from an offset follows the AR(2) recursion (C7, C13)", () => {
  const chains = 4000;
  const steps = 120;
  const offset = [1, -2, 0.5, 1];
  const minimum = [3, 0, -1, 2];
  const recSteps = Array.from({ length: 40 }, (_, k) => k).concat([60, 119]);
  const res = simulateQuadraticSgd({
    eigenvalues: EIG,
    eta: ETA,
    beta: BETA,
    batchSize: S,
    noiseVariances: NOISE,
    minimum,
    startOffset: offset,
    chains,
    steps,
    record: { steps: recSteps },
  }, Rng.fromSeed(103n));
  const d = EIG.length;
  recSteps.forEach((k, r) => {
    let msd = 0;
    let msdVarBound = 0;
    EIG.forEach((h, i) => {
      const m = meanRecursion(h, offset[i]!, ETA, BETA, steps);
      const p = modeRecursion(h, NOISE[i]!, ETA, BETA, S, steps)[k]!;
      const o = r * d + i;
      // SE of the ensemble mean √(Var/n); the 1e-12 floor covers k = 0 (no noise yet, round-off only).
      assertClose(res.record.thetaMean[o]!, minimum[i]! + m[k]!, {
        atol: 4 * Math.sqrt(p.xx / chains) + 1e-12,
      }, `k=${k} mode ${i}`);
      const vMean = k === 0 ? 0 : (m[k]! - m[k - 1]!) / ETA;
      assertClose(res.record.velocityMean[o]!, vMean, {
        atol: 4 * Math.sqrt(p.bb / chains) + 1e-12,
      }, `velocity k=${k} mode ${i}`);
      const drift = (m[k]! - offset[i]!) ** 2;
      msd += drift + p.xx;
      // Var((Δ + ε)²) = 4Δ²σ² + 2σ⁴ for ε ~ N(0, σ²).
      msdVarBound += 4 * drift * p.xx + 2 * p.xx * p.xx;
    });
    assertClose(res.record.msd[r]!, msd, {
      atol: 4 * Math.sqrt(msdVarBound / chains) + 1e-12,
    }, `msd k=${k}`);
  });
});

Deno.test("simulateQuadraticSgd() from a stationary start keeps the variance and has MSD 2·Var x·(1 − ρ_k) (C12)", () => {
  const chains = 20_000;
  const d = EIG.length;
  const steps = 200;
  // Stationary (x, b) per mode from the converged recursion, sampled here with a 2×2 Cholesky factor.
  const Pss = EIG.map((h, i) =>
    modeRecursion(h, NOISE[i]!, ETA, BETA, S, 2000)[2000]!
  );
  const rng = Rng.fromSeed(107n);
  const x0 = new Float64Array(chains * d);
  const b0 = new Float64Array(chains * d);
  for (let c = 0; c < chains; c++) {
    Pss.forEach((p, i) => {
      const z1 = rng.normal();
      const z2 = rng.normal();
      const l00 = Math.sqrt(p.xx);
      const l10 = p.xb / l00;
      x0[c * d + i] = l00 * z1;
      b0[c * d + i] = l10 * z1 + Math.sqrt(p.bb - l10 * l10) * z2;
    });
  }
  const recSteps = [0, 1, 2, 5, 10, 50, 199];
  const res = simulateQuadraticSgd({
    eigenvalues: EIG,
    eta: ETA,
    beta: BETA,
    batchSize: S,
    noiseVariances: NOISE,
    initialOffsets: x0,
    initialBuffer: b0,
    chains,
    steps,
    record: { steps: recSteps },
  }, Rng.fromSeed(108n));
  // Stationary autocorrelation of x (theory §7.1): ρ_0 = 1, ρ_1 = (1+β−ηh)/(1+β), ρ_n = (1+β−ηh)ρ_{n−1} − βρ_{n−2}.
  const rho = EIG.map((h) => {
    const a = 1 + BETA - ETA * h;
    const r = [1, a / (1 + BETA)];
    for (let n = 2; n <= steps; n++) r.push(a * r[n - 1]! - BETA * r[n - 2]!);
    return r;
  });
  recSteps.forEach((k, r) => {
    let msd = 0;
    let msdVar = 0;
    Pss.forEach((p, i) => {
      const o = r * d + i;
      assertClose(res.record.thetaVariance[o]!, p.xx, {
        atol: 4 * p.xx * Math.sqrt(2 / (chains - 1)),
      }, `k=${k} i=${i}`);
      const m = 2 * p.xx * (1 - rho[i]![k]!);
      msd += m;
      msdVar += 2 * m * m;
    });
    // k = 0: exactly 0; otherwise a sum of independent squared Gaussians.
    assertClose(res.record.msd[r]!, msd, {
      atol: 4 * Math.sqrt(msdVar / chains),
    }, `msd k=${k}`);
  });
});

Deno.test("simulateQuadraticSgd() without noise reproduces the AR(2) mean exactly", () => {
  const steps = 200;
  const res = simulateQuadraticSgd({
    eigenvalues: EIG,
    weightDecay: 0.5,
    eta: ETA,
    beta: BETA,
    batchSize: 1,
    noiseVariances: [0, 0, 0, 0],
    startOffset: [1, 1, 1, 1],
    chains: 2,
    steps,
  }, Rng.fromSeed(104n));
  EIG.forEach((lam, i) => {
    // h = λ_i + weight decay.
    const m = meanRecursion(lam + 0.5, 1, ETA, BETA, steps);
    // Same arithmetic in a different order (state-space vs AR(2) form): round-off grows with |z|^k ≤ 1.
    assertClose(res.finalTheta[i]!, m[steps]!, { atol: 1e-12 });
    assert.equal(res.finalTheta[i], res.finalTheta[EIG.length + i]);
  });
});

Deno.test("simulateQuadraticSgd() non-commuting noise: full (x, v) covariance matches the 4×4 recursion (C6)", () => {
  const eta = 0.1;
  const beta = 0.9;
  const batch = 2;
  const h = [1, 4];
  const sigma = [1, 0.8, 0.8, 1];
  const chains = 20_000;
  const steps = 400;
  const recSteps = [10, 100, 399];
  const res = simulateQuadraticSgd({
    eigenvalues: h,
    eta,
    beta,
    batchSize: batch,
    noiseCovariance: sigma,
    chains,
    steps,
    record: { steps: recSteps, covarianceModes: 2 },
  }, Rng.fromSeed(105n));
  // State z = (x1, x2, b1, b2): M = [[I − ηH, −ηβI], [H, βI]], N = (1/S)[[η²Σ, −ηΣ], [−ηΣ, Σ]].
  const M = [
    [1 - eta * h[0]!, 0, -eta * beta, 0],
    [0, 1 - eta * h[1]!, 0, -eta * beta],
    [h[0]!, 0, beta, 0],
    [0, h[1]!, 0, beta],
  ];
  const Nn = [0, 1, 2, 3].map((a) =>
    [0, 1, 2, 3].map((b) => {
      const sab = sigma[(a % 2) * 2 + (b % 2)]! / batch;
      const fa = a < 2 ? -eta : 1;
      const fb = b < 2 ? -eta : 1;
      return fa * fb * sab;
    })
  );
  let P = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
  const history = [P];
  for (let k = 0; k < steps; k++) {
    const MP = M.map((row) =>
      [0, 1, 2, 3].map((j) => row.reduce((s, m, l) => s + m * P[l]![j]!, 0))
    );
    P = MP.map((row, i) =>
      [0, 1, 2, 3].map((j) =>
        row.reduce((s, v, l) => s + v * M[j]![l]!, 0) + Nn[i]![j]!
      )
    );
    history.push(P);
  }
  const sign = [1, 1, -1, -1]; // v = −b
  recSteps.forEach((k, r) => {
    const Pk = history[k]!;
    for (let a = 0; a < 4; a++) {
      for (let b = 0; b < 4; b++) {
        const c = sign[a]! * sign[b]! * Pk[a]![b]!;
        const se = Math.sqrt((Pk[a]![a]! * Pk[b]![b]! + c * c) / (chains - 1));
        assertClose(res.record.covariance![r * 16 + a * 4 + b]!, c, {
          atol: 4 * se,
        }, `k=${k} (${a},${b})`);
      }
    }
  });
  // Broken detailed balance: the stationary Cov(x1, v2) ≠ Cov(x2, v1) (antisymmetric part of Y is non-zero).
  const Pend = history[399]!;
  const y12 = -Pend[0]![3]!;
  const y21 = -Pend[1]![2]!;
  const se = Math.sqrt((Pend[0]![0]! * Pend[3]![3]! + y12 * y12) / chains);
  assert.ok(
    Math.abs(y12 - y21) > 10 * se,
    "the reference itself breaks detailed balance",
  );
});

Deno.test("simulateQuadraticSgd() is bit-identical for the same seed; recorders do not change trajectories", () => {
  const base = {
    eigenvalues: EIG,
    eta: ETA,
    beta: BETA,
    batchSize: S,
    noiseVariances: NOISE,
    chains: 50,
    steps: 100,
  };
  for (const normals of ["ziggurat", "box-muller"] as const) {
    const rec = {
      steps: [0, 7, 50],
      speedAverageFrom: 10,
      covarianceModes: 2,
      trajectoryModes: 2,
    };
    const a = simulateQuadraticSgd(
      { ...base, normals, record: rec },
      Rng.fromSeed(7n),
    );
    const b = simulateQuadraticSgd(
      { ...base, normals, record: rec },
      Rng.fromSeed(7n),
    );
    const c = simulateQuadraticSgd({ ...base, normals }, Rng.fromSeed(7n));
    const e = simulateQuadraticSgd({ ...base, normals }, Rng.fromSeed(8n));
    const bytes = (x: Float64Array) =>
      new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
    assert.deepEqual(bytes(a.finalTheta), bytes(b.finalTheta));
    assert.deepEqual(bytes(a.finalBuffer), bytes(b.finalBuffer));
    assert.deepEqual(
      bytes(a.record.thetaVariance),
      bytes(b.record.thetaVariance),
    );
    assert.deepEqual(bytes(a.record.covariance!), bytes(b.record.covariance!));
    assert.deepEqual(
      bytes(a.record.speedChainAverage!),
      bytes(b.record.speedChainAverage!),
    );
    assert.deepEqual(
      bytes(a.record.trajectory!.theta),
      bytes(b.record.trajectory!.theta),
    );
    assert.deepEqual(bytes(a.finalTheta), bytes(c.finalTheta));
    assert.notDeepEqual(a.finalTheta, e.finalTheta);
  }
});

Deno.test("simulateQuadraticSgd() trajectory of chain 0 equals the single-chain run", () => {
  const base = {
    eigenvalues: EIG,
    eta: ETA,
    beta: BETA,
    batchSize: S,
    noiseVariances: NOISE,
    minimum: [1, 2, 3, 4],
    steps: 30,
  };
  const many = simulateQuadraticSgd(
    { ...base, chains: 3, record: { trajectoryModes: 3, trajectoryEvery: 4 } },
    Rng.fromSeed(9n),
  );
  const kept = [0, 4, 8, 12, 16, 20, 24, 28];
  const one = simulateQuadraticSgd({
    ...base,
    chains: 1,
    record: { steps: kept },
  }, Rng.fromSeed(9n));
  const tr = many.record.trajectory!;
  assert.deepEqual(tr.steps, kept);
  kept.forEach((_, r) => {
    for (let i = 0; i < 3; i++) {
      // === (not Object.is): v_0 = −b_0 is −0 in the trajectory and +0 as a one-chain mean.
      assert.ok(tr.theta[r * 3 + i] === one.record.thetaMean[r * 4 + i]);
      assert.ok(tr.velocity[r * 3 + i] === one.record.velocityMean[r * 4 + i]);
    }
  });
});

Deno.test("simulateQuadraticSgd() Box–Muller peer has the same exact stationary variance", () => {
  const chains = 20_000;
  const res = simulateQuadraticSgd({
    eigenvalues: [12],
    eta: ETA,
    beta: BETA,
    batchSize: S,
    noiseVariances: [0.5],
    chains,
    steps: 300,
    normals: "box-muller",
    record: { steps: [299] },
  }, Rng.fromSeed(106n));
  const p = modeRecursion(12, 0.5, ETA, BETA, S, 299)[299]!;
  assertClose(res.record.thetaVariance[0]!, p.xx, {
    atol: 4 * p.xx * Math.sqrt(2 / (chains - 1)),
  });
});

Deno.test("simulateQuadraticSgd() flags ηh >= 2(1+β) and h < 0 as diverged (unstable) without NaN", () => {
  const base = {
    eta: 0.5,
    beta: 0.5,
    batchSize: 1,
    chains: 4,
    steps: 100,
    record: { steps: [0, 50] },
  };
  // ηh = 0.5·6 = 3 = 2(1+β) exactly: marginal, flagged.
  for (const eigenvalues of [[1, 6], [7], [-0.1]]) {
    const r = simulateQuadraticSgd({
      ...base,
      eigenvalues,
      noiseVariances: eigenvalues.map(() => 1),
    }, Rng.fromSeed(1n));
    assert.equal(r.status, "diverged");
    assert.equal(r.reason, "unstable");
    assert.equal(r.divergedAtStep, 0);
    assert.equal(r.record.steps.length, 0);
  }
  const ok = simulateQuadraticSgd({
    ...base,
    eigenvalues: [5.99],
    noiseVariances: [1],
  }, Rng.fromSeed(1n));
  assert.equal(ok.status, "ok");
  assert.equal(ok.divergedAtStep, null);
});

Deno.test("simulateQuadraticSgd() stops at the first step whose state is non-finite or beyond the bound", () => {
  const r = simulateQuadraticSgd({
    eigenvalues: [1],
    eta: 0.1,
    beta: 0.5,
    batchSize: 1,
    noiseVariances: [1],
    startOffset: [1e200],
    chains: 3,
    steps: 10,
    record: { steps: [0, 5] },
  }, Rng.fromSeed(1n));
  // b_1 = h·1e200 + noise ⇒ ‖b_1‖² = 1e400 = ∞ at step 1.
  assert.equal(r.status, "diverged");
  assert.equal(r.reason, "non-finite-or-bound");
  assert.equal(r.divergedAtStep, 1);
  assert.equal(r.stepsCompleted, 1);
  assert.equal(r.record.steps.length, 0);
  // A small bound: |b| grows like a random walk ⇒ crosses 3 after a few steps; earlier records are kept.
  const s = simulateQuadraticSgd({
    eigenvalues: [0],
    eta: 0.1,
    beta: 0.5,
    batchSize: 1,
    noiseVariances: [1],
    chains: 2,
    steps: 10_000,
    divergenceBound: 3,
    record: { steps: [0, 1] },
  }, Rng.fromSeed(2n));
  assert.equal(s.status, "diverged");
  assert.ok(s.divergedAtStep! > 1);
  assert.deepEqual(s.record.steps, [0, 1]);
  assert.ok(s.record.thetaVariance.every(Number.isFinite));
});

Deno.test("simulateQuadraticSgd() throws on invalid input", () => {
  const base = {
    eigenvalues: [1],
    eta: 0.1,
    beta: 0.5,
    batchSize: 1,
    noiseVariances: [1],
    chains: 2,
    steps: 5,
  };
  const rng = Rng.fromSeed(1n);
  assert.throws(
    () => simulateQuadraticSgd({ ...base, eta: 0 }, rng),
    RangeError,
  );
  assert.throws(
    () => simulateQuadraticSgd({ ...base, beta: 1 }, rng),
    RangeError,
  );
  assert.throws(
    () => simulateQuadraticSgd({ ...base, batchSize: 1.5 }, rng),
    RangeError,
  );
  assert.throws(
    () => simulateQuadraticSgd({ ...base, weightDecay: -1 }, rng),
    RangeError,
  );
  assert.throws(
    () => simulateQuadraticSgd({ ...base, chains: 0 }, rng),
    RangeError,
  );
  assert.throws(
    () => simulateQuadraticSgd({ ...base, noiseVariances: [-1] }, rng),
    RangeError,
  );
  assert.throws(
    () => simulateQuadraticSgd({ ...base, noiseVariances: [1, 1] }, rng),
    TypeError,
  );
  assert.throws(
    () => simulateQuadraticSgd({ ...base, eigenvalues: [NaN] }, rng),
    RangeError,
  );
  assert.throws(
    () => simulateQuadraticSgd({ ...base, noiseCovariance: [1] }, rng),
    TypeError,
  );
  assert.throws(
    () =>
      simulateQuadraticSgd({
        eigenvalues: [1, 2],
        eta: 0.1,
        beta: 0.5,
        batchSize: 1,
        noiseCovariance: [1, 2, 2, 1],
        chains: 1,
        steps: 1,
      }, rng),
    RangeError,
  );
  assert.throws(
    () => simulateQuadraticSgd({ ...base, record: { steps: [3, 2] } }, rng),
    RangeError,
  );
  assert.throws(
    () => simulateQuadraticSgd({ ...base, record: { steps: [5] } }, rng),
    RangeError,
  );
  assert.throws(
    () =>
      simulateQuadraticSgd({ ...base, record: { covarianceModes: 2 } }, rng),
    RangeError,
  );
});
