import assert from "node:assert/strict";
import { Rng } from "../../src/random/rng.ts";
import {
  blockBootstrapExponentCI,
  fitExponent,
  localExponents,
} from "../../src/analysis/fit_exponent.ts";
import { assertAllClose, assertClose } from "../_util/assert_close.ts";

Deno.test("fitExponent() recovers c and A exactly from exact power laws", () => {
  const logSpaced = Array.from(
    { length: 30 },
    (_, i) => Math.round(10 * 1.3 ** i),
  );
  const linear = Array.from({ length: 200 }, (_, i) => 5 + 5 * i);
  for (const steps of [logSpaced, linear]) {
    for (const c of [0.3, 1, 1.7, 3.5]) {
      const msd = steps.map((k) => 2.5e-4 * k ** c);
      const fit = fitExponent(steps, msd);
      // Log–log OLS of exact data: round-off of ln() only, ~1e-15 absolute per point.
      assertClose(fit.exponent, c, { rtol: 1e-12 });
      assertClose(fit.prefactor, 2.5e-4, { rtol: 1e-11 });
      assert.ok(fit.standardError < 1e-13);
      assert.ok(fit.ci[0] <= fit.exponent && fit.exponent <= fit.ci[1]);
      assert.equal(fit.points, steps.length);
    }
  }
});

Deno.test("fitExponent() uses only the inclusive window [kMin, kMax] and reports its span", () => {
  const steps = Array.from({ length: 100 }, (_, i) => i + 1);
  // Ballistic up to k = 20, diffusive after: msd continuous at 20.
  const msd = steps.map((k) => (k <= 20 ? k * k : 20 * k));
  const early = fitExponent(steps, msd, { window: [2, 20] });
  assertClose(early.exponent, 2, { rtol: 1e-12 });
  assert.equal(early.points, 19);
  assert.deepEqual(early.window, [2, 20]);
  const late = fitExponent(steps, msd, { window: [20.5, 1e9] });
  assertClose(late.exponent, 1, { rtol: 1e-12 });
  assert.deepEqual(late.window, [21, 100]);
});

Deno.test("fitExponent() on noisy power laws: unbiased and 95 % CI coverage with independent noise", () => {
  // msd = A k^c e^{σε}, ε iid N(0,1): exactly the OLS model, so the t-interval is exact.
  const rng = Rng.fromSeed(11n);
  const steps = Array.from({ length: 40 }, (_, i) => 10 * 1.15 ** i);
  const c = 0.62;
  const reps = 400;
  let covered = 0;
  let sum = 0;
  let sumSq = 0;
  for (let r = 0; r < reps; r++) {
    const msd = steps.map((k) => 3 * k ** c * Math.exp(0.2 * rng.normal()));
    const fit = fitExponent(steps, msd);
    if (fit.ci[0] <= c && c <= fit.ci[1]) covered++;
    sum += fit.exponent;
    sumSq += fit.exponent ** 2;
  }
  const mean = sum / reps;
  const sd = Math.sqrt((sumSq - reps * mean * mean) / (reps - 1));
  // Monte Carlo: mean within 4·sd/√reps; coverage Binomial(400, 0.95) has σ ≈ 0.011, allow 4σ.
  assertClose(mean, c, { rtol: 0, atol: (4 * sd) / Math.sqrt(reps) });
  assertClose(covered / reps, 0.95, { rtol: 0, atol: 0.044 });
});

Deno.test("fitExponent() throws on bad input", () => {
  assert.throws(() => fitExponent([1, 2, 3], [1, 2]), TypeError);
  assert.throws(() => fitExponent([1, 3, 2], [1, 2, 3]), RangeError);
  assert.throws(() => fitExponent([1, 2, 3], [1, 0, 3]), RangeError);
  assert.throws(
    () => fitExponent([1, 2, 3, 4], [1, 2, 3, 4], { window: [2, 3] }),
    RangeError,
  );
  assert.throws(
    () => fitExponent([1, 2, 3], [1, 2, 3], { window: [3, 1] }),
    RangeError,
  );
  assert.throws(
    () => fitExponent([1, 2, 3], [1, 2, 3], { level: 1 }),
    RangeError,
  );
  // Non-positive values outside the window are ignored.
  const ok = fitExponent([0, 1, 2, 4], [0, 1, 2, 4], { window: [1, 4] });
  assertClose(ok.exponent, 1, { rtol: 1e-12 });
});

Deno.test("localExponents() returns each regime's slope and the windows' geometric centres", () => {
  const steps = Array.from({ length: 64 }, (_, i) => 2 ** (i / 4));
  // Local slope 3 (build-up), 1 (diffusion), 0 (saturation) with continuous joins at k = 4 and k = 256.
  const msd = steps.map((k) => (k <= 4 ? k ** 3 : k <= 256 ? 16 * k : 4096));
  const r = localExponents(steps, msd, { points: 5 });
  assert.equal(r.exponents.length, 60);
  for (let j = 0; j < r.exponents.length; j++) {
    const first = steps[j]!;
    const last = steps[j + 4]!;
    // Window centre √(k_first·k_last); pure-regime windows have exact slopes.
    assertClose(r.steps[j]!, Math.sqrt(first * last), { rtol: 1e-15 });
    if (last <= 4) assertClose(r.exponents[j]!, 3, { rtol: 1e-12 });
    if (first >= 4 && last <= 256) {
      assertClose(r.exponents[j]!, 1, { rtol: 1e-12 });
    }
    if (first >= 256) assertClose(r.exponents[j]!, 0, { rtol: 0, atol: 1e-13 });
  }
  const two = localExponents([1, 2, 4], [1, 4, 16], { points: 2 });
  assertAllClose(two.exponents, [2, 2], { rtol: 1e-15 });
  assert.ok(two.standardErrors.every(Number.isNaN));
  assert.throws(
    () => localExponents([1, 2], [1, 2], { points: 3 }),
    RangeError,
  );
  assert.throws(
    () => localExponents([1, 2, 3], [1, 2, 3], { points: 1 }),
    RangeError,
  );
});

Deno.test("blockBootstrapExponentCI() matches the OLS error for iid noise and is more honest for correlated noise", () => {
  // Linear-spaced checkpoints; log-noise is iid (φ = 0) or AR(1) with φ = 0.9 (correlation length ≈ 10 samples).
  const steps = Array.from({ length: 100 }, (_, i) => 10 + 10 * i);
  const c = 0.7;
  const reps = 200;
  for (const phi of [0, 0.9]) {
    const rng = Rng.fromSeed(7n);
    const slopes: number[] = [];
    let olsSe = 0;
    let bootSe = 0;
    let olsCover = 0;
    let bootCover = 0;
    for (let r = 0; r < reps; r++) {
      let e = rng.normal();
      const msd = steps.map((k) => {
        e = phi * e + Math.sqrt(1 - phi * phi) * rng.normal();
        return 2 * k ** c * Math.exp(0.1 * e);
      });
      const fit = fitExponent(steps, msd);
      const boot = blockBootstrapExponentCI(steps, msd, {
        rng,
        blockLength: phi > 0 ? 20 : 3,
        resamples: 200,
      });
      assert.equal(boot.exponent, fit.exponent);
      slopes.push(fit.exponent);
      olsSe += fit.standardError / reps;
      bootSe += boot.standardError / reps;
      if (fit.ci[0] <= c && c <= fit.ci[1]) olsCover++;
      if (boot.ci[0] <= c && c <= boot.ci[1]) bootCover++;
    }
    const m = slopes.reduce((a, b) => a + b) / reps;
    const trueSd = Math.sqrt(
      slopes.reduce((a, b) => a + (b - m) ** 2, 0) / (reps - 1),
    );
    if (phi === 0) {
      // Sampling error of an sd from 200 replicates is ≈ 5 %; bootstrap SE has a small downward bias: 20 %.
      assertClose(bootSe, trueSd, { rtol: 0.2 });
      assertClose(olsSe, trueSd, { rtol: 0.2 });
    } else {
      // OLS understates the spread ≈ 4× here; the block bootstrap recovers at least a good part of it.
      assert.ok(olsSe < 0.5 * trueSd, `ols ${olsSe} vs true ${trueSd}`);
      assert.ok(bootSe > 1.5 * olsSe, `boot ${bootSe} vs ols ${olsSe}`);
      assert.ok(
        bootCover > olsCover + 40,
        `coverage ${bootCover} vs ${olsCover} of ${reps}`,
      );
    }
  }
});

Deno.test("blockBootstrapExponentCI() is deterministic for a seed and validates its options", () => {
  const steps = [1, 2, 3, 4, 5, 6, 7, 8];
  const msd = [1.1, 2.3, 2.9, 4.2, 4.8, 6.3, 6.9, 8.1];
  const a = blockBootstrapExponentCI(steps, msd, {
    rng: Rng.fromSeed(1n),
    resamples: 50,
  });
  const b = blockBootstrapExponentCI(steps, msd, {
    rng: Rng.fromSeed(1n),
    resamples: 50,
  });
  assert.deepEqual(a, b);
  assert.equal(a.blockLength, 2); // round(8^{1/3})
  assert.throws(
    () =>
      blockBootstrapExponentCI(steps, msd, {
        rng: Rng.fromSeed(1n),
        blockLength: 9,
      }),
    RangeError,
  );
  assert.throws(
    () =>
      blockBootstrapExponentCI(steps, msd, {
        rng: Rng.fromSeed(1n),
        resamples: 5,
      }),
    RangeError,
  );
});
