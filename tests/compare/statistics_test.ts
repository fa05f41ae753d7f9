import assert from "node:assert/strict";
import { bootstrapMedianRatio } from "../../src/compare/bootstrap_ratio.ts";
import { holmAdjust } from "../../src/compare/holm.ts";
import { mannWhitneyU } from "../../src/compare/mann_whitney.ts";
import { median } from "../../src/compare/median.ts";
import { erfc, normalTwoSidedP } from "../../src/compare/normal_tail.ts";
import { Rng } from "../../src/random/rng.ts";
import { assertClose } from "../_util/assert_close.ts";

// Reference values from SciPy 1.17.1 (an independent implementation), computed while writing this test with
//   python3 -c "from scipy.special import erfc; print([repr(erfc(x)) for x in (0.1,0.5,1,2,2.9,3,3.5,5,10,26)])"
const SCIPY_ERFC: [number, number][] = [
  [0.1, 0.8875370839817152],
  [0.5, 0.4795001221869535],
  [1, 0.15729920705028516],
  [2, 0.004677734981047266],
  [2.9, 4.109787809945884e-05],
  [3, 2.2090496998585445e-05],
  [3.5, 7.430983723414129e-07],
  [5, 1.5374597944280347e-12],
  [10, 2.0884875837625446e-45],
  [26, 5.663192408856145e-296],
];

Deno.test("erfc() matches SciPy's erfc to 1e-10 relative across the series/continued-fraction switch", () => {
  for (const [x, e] of SCIPY_ERFC) {
    // 1 − erf(x) for x just below 3 loses ~log10(1/erfc(3)) ≈ 5 of 16 digits: 1e-10 relative is the bound.
    assertClose(erfc(x), e, { rtol: 1e-10 }, `erfc(${x})`);
    assertClose(erfc(-x), 2 - e, { rtol: 1e-15 }, `erfc(-${x})`);
  }
  assert.equal(erfc(Infinity), 0);
  assert.ok(Number.isNaN(erfc(NaN)));
});

Deno.test("normalTwoSidedP() matches Simpson integration of the normal density", () => {
  const phi = (t: number) => Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
  for (const z of [0.3, 1, 1.96, 2.5, 3.2, 4.5]) {
    // 2∫_z^{z+12} φ(t) dt by composite Simpson with 20000 intervals (error ~h⁴, far below 1e-12 here)
    const n = 20000;
    const h = 12 / n;
    let s = phi(z) + phi(z + 12);
    for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * phi(z + i * h);
    const expected = 2 * (s * h / 3);
    // Simpson's h⁴ truncation and 1e-10 erfc accuracy: 1e-9 relative covers both.
    assertClose(normalTwoSidedP(z), expected, { rtol: 1e-9 }, `z=${z}`);
    assertClose(normalTwoSidedP(-z), expected, { rtol: 1e-9 }, `z=-${z}`);
  }
  assert.equal(normalTwoSidedP(0), 1);
});

/** Brute force: U of y and its two-sided permutation p-value over all C(n1+n2, n1) splits of the pooled data. */
function bruteForceMannWhitney(
  x: number[],
  y: number[],
): { u: number; p: number } {
  const pooled = [...x, ...y];
  const n = pooled.length;
  const uOf = (ys: number[], xs: number[]) => {
    let u = 0;
    for (const b of ys) for (const a of xs) u += b > a ? 1 : b === a ? 0.5 : 0;
    return u;
  };
  const observed = uOf(y, x);
  let below = 0;
  let above = 0;
  let all = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let bits = 0;
    for (let m = mask; m; m &= m - 1) bits++;
    if (bits !== y.length) continue;
    const ys: number[] = [];
    const xs: number[] = [];
    for (let i = 0; i < n; i++) (mask >> i & 1 ? ys : xs).push(pooled[i]!);
    const u = uOf(ys, xs);
    all++;
    if (u <= observed) below++;
    if (u >= observed) above++;
  }
  return { u: observed, p: Math.min(1, 2 * Math.min(below, above) / all) };
}

const SIZES: readonly [number, number][] = [
  [1, 1],
  [2, 3],
  [3, 3],
  [4, 6],
  [5, 5],
  [6, 7],
  [3, 9],
  [7, 2],
  [8, 3],
];

Deno.test("mannWhitneyU() exact p-values equal brute-force enumeration of all splits", () => {
  const rng = Rng.fromSeed(7n);
  for (
    const [n1, n2] of SIZES
  ) {
    for (let rep = 0; rep < 5; rep++) {
      const x = Array.from({ length: n1 }, () => rng.normal());
      const y = Array.from({ length: n2 }, () => rng.normal() + rep * 0.4);
      const r = mannWhitneyU(x, y);
      const bf = bruteForceMannWhitney(x, y);
      assert.equal(r.method, "exact");
      assert.equal(r.u, bf.u);
      // Both are ratios of integer counts computed in float64: a few ulps.
      assertClose(r.p, bf.p, { rtol: 1e-14 }, `n1=${n1} n2=${n2} rep=${rep}`);
    }
  }
});

Deno.test("mannWhitneyU() agrees with published critical values of U", () => {
  // Two-sided α = 0.05 critical values (reject when min(U, n1n2 − U) ≤ c): n1 = n2 = 5 → 2; n1 = n2 = 10 → 23
  // (standard Mann–Whitney tables, e.g. Siegel & Castellan 1988, Table J).
  const split = (n: number, u: number) => {
    // x = 0..n-1 and y placed so that exactly u pairs have y > x
    const x = Array.from({ length: n }, (_, i) => 2 * i);
    const y: number[] = [];
    let left = u;
    for (let j = 0; j < n; j++) {
      const k = Math.min(n, left); // y_j above the k smallest x
      left -= k;
      // distinct values (no ties, so the exact distribution applies)
      y.push(k === 0 ? -1 - j / 100 : 2 * (k - 1) + 1 + j / 100);
    }
    return { x, y };
  };
  for (const [n, c] of [[5, 2], [10, 23]] as const) {
    const at = split(n, c);
    const past = split(n, c + 1);
    assert.equal(mannWhitneyU(at.x, at.y).u, c);
    assert.ok(mannWhitneyU(at.x, at.y).p <= 0.05, `n=${n} U=${c} rejects`);
    assert.ok(
      mannWhitneyU(past.x, past.y).p > 0.05,
      `n=${n} U=${c + 1} does not`,
    );
  }
});

Deno.test("mannWhitneyU() normal approximation with ties matches SciPy and the permutation variance", async (t) => {
  await t.step("SciPy asymptotic p-values (use_continuity=True)", () => {
    // python3 -c "from scipy.stats import mannwhitneyu as m; print(m([1.1,2.2,2.2,3.5,4.0,4.0,4.0],
    //   [2.2,3.9,4.0,5.5,6.1,7.0], method='asymptotic').pvalue)"  → 0.10903426335621068 (U_x = 9.5)
    const r = mannWhitneyU([1.1, 2.2, 2.2, 3.5, 4.0, 4.0, 4.0], [
      2.2,
      3.9,
      4.0,
      5.5,
      6.1,
      7.0,
    ]);
    assert.equal(r.method, "normal");
    assert.equal(r.u, 42 - 9.5);
    assertClose(r.p, 0.10903426335621068, { rtol: 1e-10 });
  });
  await t.step(
    "exact p-value without ties matches SciPy method='exact'",
    () => {
      // same command with [1.1,2.3,3.5,4.0,4.2], [2.2,3.9,4.1,5.5,6.1,7.0], method='exact' → 0.17748917748917747
      const r = mannWhitneyU([1.1, 2.3, 3.5, 4.0, 4.2], [
        2.2,
        3.9,
        4.1,
        5.5,
        6.1,
        7.0,
      ]);
      assertClose(r.p, 0.17748917748917747, { rtol: 1e-14 });
    },
  );
  await t.step(
    "tie-corrected variance equals the variance of U over all splits",
    () => {
      // p from the normal approximation is Φ-tail of (|U − mean| − ½)/σ; recover σ from two U values of the same
      // tie structure and compare with the brute-force permutation variance.
      const x = [1, 1, 1, 2, 3];
      const y = [2, 3, 3, 3];
      const pooled = [...x, ...y];
      let sum = 0;
      let sum2 = 0;
      let count = 0;
      for (let mask = 0; mask < 1 << 9; mask++) {
        let bits = 0;
        for (let m = mask; m; m &= m - 1) bits++;
        if (bits !== 4) continue;
        const ys = pooled.filter((_, i) => mask >> i & 1);
        const xs = pooled.filter((_, i) => !(mask >> i & 1));
        let u = 0;
        for (const b of ys) {
          for (const a of xs) {
            u += b > a ? 1 : b === a ? 0.5 : 0;
          }
        }
        sum += u;
        sum2 += u * u;
        count++;
      }
      const variance = sum2 / count - (sum / count) ** 2;
      const r = mannWhitneyU(x, y);
      const z = (Math.abs(r.u - 10) - 0.5) / Math.sqrt(variance);
      assertClose(r.p, normalTwoSidedP(z), { rtol: 1e-12 });
    },
  );
  await t.step("large untied samples match SciPy exact", () => {
    // m(list(range(25)), [x+7.5 for x in range(25)], method='exact').pvalue → 0.0016129849141765253
    // (C(50, 25) < 2^53, so ours is exact too; counts are exact integers in float64: a few ulps)
    const x = Array.from({ length: 25 }, (_, i) => i);
    const y = x.map((v) => v + 7.5);
    const r = mannWhitneyU(x, y);
    assert.equal(r.method, "exact");
    assertClose(r.p, 0.0016129849141765253, { rtol: 1e-12 });
  });
});

Deno.test("mannWhitneyU() reports the smallest attainable p and rejects bad input", () => {
  assertClose(mannWhitneyU([1, 2, 3], [4, 5, 6]).minAttainableP, 2 / 20, {
    rtol: 1e-14,
  });
  assertClose(mannWhitneyU([1, 2, 3], [4, 5, 6]).p, 2 / 20, { rtol: 1e-14 });
  assert.throws(() => mannWhitneyU([], [1]), RangeError);
  assert.throws(() => mannWhitneyU([NaN], [1]), RangeError);
});

Deno.test("holmAdjust() reproduces a hand-worked example", () => {
  // m = 4, sorted p: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, max(0.04·1, 0.06) = 0.06
  const adj = holmAdjust([0.01, 0.04, 0.03, 0.005]);
  const expected = [0.03, 0.06, 0.06, 0.02];
  adj.forEach((a, i) => assertClose(a, expected[i]!, { rtol: 1e-15 }));
  assert.deepEqual(holmAdjust([]), []);
  assert.deepEqual(holmAdjust([0.6, 0.7]), [1, 1]);
  assert.throws(() => holmAdjust([1.5]), RangeError);
  assert.throws(() => holmAdjust([NaN]), RangeError);
});

Deno.test("holmAdjust() keeps the family-wise error rate under α on simulated null p-values", () => {
  // 2000 families of 20 independent uniform p-values: P(any adjusted p < 0.05) ≤ 0.05; the Monte-Carlo
  // standard error of the rate is √(0.05·0.95/2000) ≈ 0.0049, so 0.05 + 4σ ≈ 0.07 is the bound.
  const rng = Rng.fromSeed(3n);
  let families = 0;
  for (let f = 0; f < 2000; f++) {
    const p = Array.from({ length: 20 }, () => rng.float());
    if (holmAdjust(p).some((a) => a < 0.05)) families++;
  }
  assert.ok(families / 2000 <= 0.07, `FWER ${families / 2000}`);
});

Deno.test("bootstrapMedianRatio() covers the true ratio of medians about 95 % of the time", () => {
  // Log-normal samples, median e^μ: true ratio e^{0.2}. 300 replicates: binomial se √(.95·.05/300) ≈ 0.0126;
  // percentile intervals for medians at n = 25 under-cover slightly, so accept [0.95 − 4σ − 0.02, 1].
  const rng = Rng.fromSeed(11n);
  const truth = Math.exp(0.2);
  let covered = 0;
  const reps = 300;
  for (let r = 0; r < reps; r++) {
    const x = Array.from({ length: 25 }, () => Math.exp(0.3 * rng.normal()));
    const y = Array.from(
      { length: 25 },
      () => Math.exp(0.2 + 0.3 * rng.normal()),
    );
    const ci = bootstrapMedianRatio(x, y, { rng, resamples: 400 });
    if (ci.lo <= truth && truth <= ci.hi) covered++;
  }
  const rate = covered / reps;
  assert.ok(rate >= 0.95 - 4 * 0.0126 - 0.02 && rate <= 1, `coverage ${rate}`);
});

Deno.test("bootstrapMedianRatio() is reproducible for a seed and rejects bad input", () => {
  const x = [10, 12, 11, 13, 9];
  const y = [15, 16, 14, 18, 17];
  const a = bootstrapMedianRatio(x, y, { rng: Rng.fromSeed(5n) });
  const b = bootstrapMedianRatio(x, y, { rng: Rng.fromSeed(5n) });
  assert.deepEqual(a, b);
  assert.equal(a.ratio, median(y) / median(x));
  assert.ok(a.lo <= a.ratio && a.ratio <= a.hi);
  assert.throws(
    () => bootstrapMedianRatio([], y, { rng: Rng.fromSeed(1n) }),
    RangeError,
  );
  assert.throws(
    () => bootstrapMedianRatio([0], y, { rng: Rng.fromSeed(1n) }),
    RangeError,
  );
  assert.throws(
    () => bootstrapMedianRatio(x, y, { rng: Rng.fromSeed(1n), level: 1 }),
    RangeError,
  );
  assert.throws(() => median([]), RangeError);
});
