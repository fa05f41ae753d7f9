import assert from "node:assert/strict";
import {
  dampingRegime,
  modeAutocorrelation,
  modeMean,
  modePropagator,
  modeStationaryVariances,
  modeTransientCovariance,
} from "../../src/theory/continuous_mode.ts";
import { assertClose } from "../_util/assert_close.ts";
import { integrateOuMoments } from "./_ode.ts";

// η = 0.1, β = 0.5, S = 4: γ = (1−β)/(η(1+β)) = 10/3, ω² = 2h/(η(1+β)) = 40h/3.
const HP = { eta: 0.1, beta: 0.5, batchSize: 4 };
const GAMMA = 10 / 3;
const H_CRIT = GAMMA * GAMMA * 3 / 40; // ω² = γ² ⇔ h = 5/6
const CASES: [string, number][] = [
  ["underdamped", 5],
  ["critical", H_CRIT],
  ["overdamped", 0.1],
  ["overdamped", 0], // free particle (h = 0)
];

/** The 1-mode OU system of theory.md §3.2 written out by hand. */
function modeSystem(h: number, s: number) {
  const { eta, beta, batchSize } = HP;
  const m = eta * (1 + beta) / 2;
  const friction = (1 - beta) / m;
  const a = new Float64Array([0, -1, h / m, friction]);
  const dv = 2 * s / (eta * batchSize * (1 + beta) ** 2);
  return { a, d2: new Float64Array([0, 0, 0, 2 * dv]) };
}

// RK4 with dt = 2e-4 and rates ≤ ~10: local error (10·dt)^5 ≈ 3e-17 per step, global ≪ 1e-10;
// we compare at rtol 1e-9 (plus atol 1e-12 for entries that pass through zero).
const TOL = { rtol: 1e-9, atol: 1e-12 };
const STEPS_PER_UNIT = 5000;

for (const [regime, h] of CASES) {
  Deno.test(`modeMean() and modeTransientCovariance() match RK4 integration of the moment ODEs (${regime}, h = ${h})`, () => {
    const s = 1.7;
    const { a, d2 } = modeSystem(h, s);
    for (const t of [0.05, 0.7, 2.5]) {
      const steps = Math.ceil(t * STEPS_PER_UNIT);
      const ref = integrateOuMoments(
        a,
        d2,
        2,
        new Float64Array([0.8, -0.3]),
        new Float64Array(4),
        t,
        steps,
      );
      const mean = modeMean(t, 0.8, -0.3, h, HP);
      assertClose(mean.x, ref.mean[0]!, TOL, `x(${t})`);
      assertClose(mean.v, ref.mean[1]!, TOL, `v(${t})`);
      const cov = modeTransientCovariance(t, h, s, HP);
      assertClose(cov.varX, ref.cov[0]!, TOL, `Var x(${t})`);
      assertClose(cov.covXV, ref.cov[1]!, TOL, `Cov(x,v)(${t})`);
      assertClose(cov.varV, ref.cov[3]!, TOL, `Var v(${t})`);
      // ρ(t) = E x(t) from (1, 0)
      const rho = integrateOuMoments(
        a,
        d2,
        2,
        new Float64Array([1, 0]),
        new Float64Array(4),
        t,
        steps,
      ).mean[0]!;
      assertClose(modeAutocorrelation(t, h, HP), rho, TOL, `ρ(${t})`);
    }
    if (h > 0) {
      const want = regime === "critical" ? "critical" : regime;
      assert.equal(dampingRegime(h, HP), want);
    }
  });
}

Deno.test("modeTransientCovariance() tends to modeStationaryVariances() and Cov(x, v) → 0 for all regimes", () => {
  for (const [, h] of CASES.filter(([, h]) => h > 0)) {
    const late = modeTransientCovariance(60, h, 2, HP);
    const ss = modeStationaryVariances([h], [2], HP);
    // At t = 60 the slowest rate (h = 0.1: a ≈ ω²/(2γ) = 0.2) has decayed by e^{−24} ≈ 4e-11.
    assertClose(late.varX, ss.varX[0]!, { rtol: 1e-9, atol: 0 });
    assertClose(late.varV, ss.varV[0]!, { rtol: 1e-9, atol: 0 });
    // Residual Cov = q·e12(t)²/2 ∝ e^{−2at} ≈ 2e-12 for the slowest mode (h = 0.1) at t = 60.
    assertClose(late.covXV, 0, { rtol: 0, atol: 1e-10 });
    // Closed forms X = ηs/(2S(1−β)h), Z = s/(S(1−β²)) evaluated by hand for η=0.1, β=0.5, S=4, s=2.
    assertClose(ss.varX[0]!, 0.1 * 2 / (2 * 4 * 0.5 * h));
    assertClose(ss.varV[0]!, 2 / (4 * 0.75));
  }
});

Deno.test("modePropagator() is the identity at t = 0 and stays finite for stiff overdamped modes at large t", () => {
  const e0 = modePropagator(0, 3, HP);
  assert.deepEqual(e0.map((v) => v + 0), [1, 0, 0, 1]);
  // h tiny: slow rate a ≈ ω²/(2γ); e11(t) ≈ e^{−at}(1 + O(a/γ)) without overflow of cosh/sinh.
  const h = 1e-9;
  const t = 1e6;
  const e = modePropagator(t, h, HP);
  const omega2 = 40 * h / 3;
  const b = GAMMA + Math.sqrt(GAMMA * GAMMA - omega2);
  const a = omega2 / b;
  assertClose(e[0], b * Math.exp(-a * t) / (b - a), { rtol: 1e-12, atol: 0 });
  assert.ok(e.every(Number.isFinite));
});

Deno.test("modeTransientCovariance() for h = 0 grows like free diffusion q/(2γ)²·t at late times", () => {
  // Free particle: v is OU with rate 2γ, x integrates it: Var x ≈ (q/(2γ)²)·t for t ≫ 1/γ,
  // q = 4s/(ηS(1+β)²). Leading-order check with the exact offset: Var x = (q/Γ²)(t − 3/(2Γ)) + O(e^{−Γt}).
  const s = 1;
  const q = 4 * s / (0.1 * 4 * 1.5 ** 2);
  const big = 2 * GAMMA;
  const t = 50;
  const { varX } = modeTransientCovariance(t, 0, s, HP);
  assertClose(varX, q / big ** 2 * (t - 3 / (2 * big)), {
    rtol: 1e-12,
    atol: 0,
  });
  const ss = modeStationaryVariances([0, 0], [1, 0], HP);
  assert.equal(ss.varX[0], Infinity);
  assert.equal(ss.varX[1], 0);
});

Deno.test("per-mode functions throw RangeError on bad inputs and TypeError on length mismatch", () => {
  assert.throws(() => modeMean(-1, 1, 0, 1, HP), RangeError);
  assert.throws(() => modeMean(1, 1, 0, -1, HP), RangeError);
  assert.throws(() => modeTransientCovariance(1, 1, -2, HP), RangeError);
  assert.throws(() => modeMean(1, 1, 0, 1, { ...HP, beta: 1 }), RangeError);
  assert.throws(() => modeMean(1, 1, 0, 1, { ...HP, eta: 0 }), RangeError);
  assert.throws(
    () => modeMean(1, 1, 0, 1, { ...HP, batchSize: 0.5 }),
    RangeError,
  );
  assert.throws(() => modeStationaryVariances([1, 2], [1], HP), TypeError);
});
