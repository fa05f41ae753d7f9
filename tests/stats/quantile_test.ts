import assert from "node:assert/strict";
import { median, quantile } from "../../src/stats/quantile.ts";
import { assertClose } from "../_util/assert_close.ts";
import { Rng } from "../../src/random/rng.ts";

Deno.test("quantile() is the type-7 interpolation of order statistics", () => {
  const x = [10, 20, 30, 40, 50];
  // h = 4q: q = 0.1 → h = 0.4 → 10 + 0.4·10 = 14; q = 0.9 → h = 3.6 → 40 + 0.6·10 = 46.
  assertClose(quantile(x, 0.1), 14);
  assertClose(quantile(x, 0.9), 46);
  assert.equal(quantile(x, 0), 10);
  assert.equal(quantile(x, 1), 50);
  assert.equal(quantile([7], 0.3), 7);
});

Deno.test("median() of odd and even samples, input not modified", () => {
  const x = [3, 1, 2];
  assert.equal(median(x), 2);
  assert.deepEqual(x, [3, 1, 2]);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([-1, -5, 10, 2]), 0.5);
});

Deno.test("quantile() of uniform samples is close to q (4σ)", () => {
  const rng = Rng.fromSeed(51n);
  const n = 100_000;
  const x = Array.from({ length: n }, () => rng.float());
  for (const q of [0.05, 0.5, 0.95]) {
    // Asymptotic sd of a sample quantile: √(q(1−q)/n)/f(x_q), f = 1 for U(0,1).
    assertClose(quantile(x, q), q, { atol: 4 * Math.sqrt(q * (1 - q) / n) });
  }
});

Deno.test("quantile() throws RangeError on empty input, NaN or q outside [0, 1]", () => {
  assert.throws(() => quantile([], 0.5), RangeError);
  assert.throws(() => quantile([1, NaN], 0.5), RangeError);
  assert.throws(() => quantile([1], 1.5), RangeError);
});
