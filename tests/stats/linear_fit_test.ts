import assert from "node:assert/strict";
import { linearFit, powerLawFit } from "../../src/stats/linear_fit.ts";
import { assertClose } from "../_util/assert_close.ts";
import { Rng } from "../../src/random/rng.ts";

Deno.test("linearFit() matches hand computation (slope, SEs, t interval)", () => {
  // x̄ = 1.5, ȳ = 2.25, Sxx = 5, Sxy = 4.5 ⇒ b = 0.9, a = 0.9; residuals (0.1, 0.2, −0.7, 0.4): RSS = 0.7, s² = 0.35.
  const f = linearFit([0, 1, 2, 3], [1, 2, 2, 4]);
  assertClose(f.slope, 0.9);
  assertClose(f.intercept, 0.9);
  assertClose(f.residualStdError, Math.sqrt(0.35));
  assertClose(f.slopeStdError, Math.sqrt(0.35 / 5));
  assertClose(f.interceptStdError, Math.sqrt(0.35 * (1 / 4 + 2.25 / 5)));
  assert.equal(f.dof, 2);
  // t_{0.975}(2) = 0.95/√(2·0.975·0.025) (closed form for ν = 2); bisection tolerance 1e-9.
  const t = 0.95 / Math.sqrt(2 * 0.975 * 0.025);
  assertClose(f.slopeInterval[0], 0.9 - t * Math.sqrt(0.07), { rtol: 1e-9 });
  assertClose(f.slopeInterval[1], 0.9 + t * Math.sqrt(0.07), { rtol: 1e-9 });
});

Deno.test("linearFit() 95 % slope intervals cover the true slope 95 % of the time", () => {
  const rng = Rng.fromSeed(61n);
  const reps = 2000;
  const x = [0, 1, 2, 3, 4, 5, 6, 7];
  let covered = 0;
  for (let r = 0; r < reps; r++) {
    const y = x.map((v) => 1 - 0.5 * v + 0.3 * rng.normal());
    const f = linearFit(x, y);
    if (f.slopeInterval[0] <= -0.5 && -0.5 <= f.slopeInterval[1]) covered++;
  }
  // Binomial sd √(0.95·0.05/2000) = 0.0049 ⇒ 4σ = 0.0195.
  assertClose(covered / reps, 0.95, { atol: 0.0195 });
});

Deno.test("powerLawFit() recovers the exponent on the stated window only", () => {
  const k = [1, 2, 4, 8, 16, 32, 64, 128];
  // Ballistic k² up to 8, then diffusive ∝ k: the window [8, 128] sees only the k¹ part.
  const y = k.map((v) => (v <= 8 ? v * v : 8 * v));
  const f = powerLawFit(k, y, [8, 128]);
  assertClose(f.exponent, 1, { rtol: 1e-12 });
  assertClose(f.prefactor, 8, { rtol: 1e-12 });
  assert.equal(f.n, 5);
  assert.deepEqual(f.window, [8, 128]);
  assertClose(powerLawFit(k, y, [1, 8]).exponent, 2, { rtol: 1e-12 });
});

Deno.test("linearFit()/powerLawFit() throw on bad input", () => {
  assert.throws(() => linearFit([1, 2], [1, 2]), RangeError);
  assert.throws(() => linearFit([1, 1, 1], [1, 2, 3]), RangeError);
  assert.throws(() => linearFit([1, 2, 3], [1, 2]), TypeError);
  assert.throws(() => powerLawFit([1, 2, 3], [1, 0, 2], [1, 3]), RangeError);
  assert.throws(() => powerLawFit([1, 2, 3], [1, 2, 3], [2, 3]), RangeError);
});
