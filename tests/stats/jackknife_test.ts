import assert from "node:assert/strict";
import {
  groupJackknife,
  jackknifeStandardError,
} from "../../src/stats/jackknife.ts";
import { mean, standardError } from "../../src/stats/summary.ts";
import { Rng } from "../../src/random/rng.ts";
import { assertClose } from "../_util/assert_close.ts";

function groups(count: number, width: number, seed: bigint): Float64Array[] {
  const rng = Rng.fromSeed(seed);
  return Array.from(
    { length: count },
    () => Float64Array.from({ length: width }, (_, j) => 1 + j + rng.normal()),
  );
}

Deno.test("jackknifeStandardError() of leave-one-out means equals the standard error of the mean", () => {
  // Identity: for the sample mean the jackknife variance is exactly s²/n.
  const rng = Rng.fromSeed(7n);
  const x = Array.from({ length: 40 }, () => rng.normal());
  const loo = x.map((_, i) => mean(x.filter((_, k) => k !== i)));
  // Round-off only (40 leave-one-out means, compensated sums).
  assertClose(jackknifeStandardError(loo), standardError(x), { rtol: 1e-10 });
  assert.throws(() => jackknifeStandardError([1]), RangeError);
});

Deno.test("groupJackknife() of a linear statistic gives the group mean and its standard error", () => {
  const g = groups(16, 3, 11n);
  const r = groupJackknife(g, (m) => m[1]!);
  const col = g.map((m) => m[1]!);
  // Round-off only.
  assertClose(r.value, mean(col), { rtol: 1e-13 });
  assertClose(r.stderr, standardError(col), { rtol: 1e-10 });
});

Deno.test("groupJackknife() of a ratio matches brute-force delete-one-group re-averaging", () => {
  const g = groups(24, 2, 5n);
  const f = (m: ArrayLike<number>) => m[0]! / m[1]!;
  const r = groupJackknife(g, f);
  // Independent route: recompute every leave-one-group-out mean from scratch (no subtraction from the total).
  const meanOf = (rows: Float64Array[]) =>
    [0, 1].map((j) => mean(rows.map((m) => m[j]!)));
  const loo = g.map((_, h) => f(meanOf(g.filter((_, k) => k !== h))));
  const lm = mean(loo);
  const n = g.length;
  const se = Math.sqrt(
    (n - 1) / n * loo.reduce((a, v) => a + (v - lm) ** 2, 0),
  );
  // Round-off only: subtracting a group from the total vs re-summing.
  assertClose(r.value, f(meanOf(g)), { rtol: 1e-12 });
  assertClose(r.stderr, se, { rtol: 1e-8 });
});

Deno.test("groupJackknife() stderr of a ratio of means covers the spread over independent repetitions", () => {
  // Monte Carlo: 400 repetitions of 32 groups; the mean jackknife stderr should match the empirical standard
  // deviation of the estimates within 15 % (the stderr-of-stderr over 400 repetitions is a few %).
  const rng = Rng.fromSeed(21n);
  const est: number[] = [];
  const ses: number[] = [];
  for (let rep = 0; rep < 400; rep++) {
    const g = Array.from(
      { length: 32 },
      () => Float64Array.of(2 + 0.3 * rng.normal(), 4 + 0.3 * rng.normal()),
    );
    const r = groupJackknife(g, (m) => m[0]! / m[1]!);
    est.push(r.value);
    ses.push(r.stderr);
  }
  const sd = standardError(est) * Math.sqrt(est.length);
  // Monte Carlo: relative error of a standard deviation over 400 samples ≈ 1/√800 ≈ 3.5 %; 15 % ≈ 4σ.
  assertClose(mean(ses), sd, { rtol: 0.15 });
});

Deno.test("groupJackknife() rejects a single group and ragged groups", () => {
  assert.throws(
    () => groupJackknife([Float64Array.of(1)], (m) => m[0]!),
    RangeError,
  );
  assert.throws(
    () =>
      groupJackknife([Float64Array.of(1, 2), Float64Array.of(1)], (m) => m[0]!),
    TypeError,
  );
});
