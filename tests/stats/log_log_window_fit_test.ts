import assert from "node:assert/strict";
import { logLogWindowFit } from "../../src/stats/log_log_window_fit.ts";
import { powerLawFit } from "../../src/stats/linear_fit.ts";
import { Rng } from "../../src/random/rng.ts";
import { assertClose } from "../_util/assert_close.ts";

Deno.test("logLogWindowFit() matches powerLawFit() (centred OLS) on noisy data inside the window", () => {
  const rng = Rng.fromSeed(3n);
  const k = Array.from({ length: 60 }, (_, j) => Math.round(1.15 ** j) + j);
  const y = k.map((v) => 0.7 * v ** 1.3 * Math.exp(0.1 * rng.normal()));
  for (const [lo, hi] of [[5, 500], [1, 1e6], [20, 60]] as const) {
    const fit = logLogWindowFit(k, y, lo, hi);
    const ref = powerLawFit(k, y, [lo, hi]);
    // Raw normal sums vs centred sums: round-off amplified by the condition of the window (≤ 1e-9 here).
    assertClose(fit.slope, ref.slope, { rtol: 1e-9, atol: 1e-12 });
    assertClose(fit.intercept, ref.intercept, { rtol: 1e-9, atol: 1e-12 });
    assert.equal(fit.points, k.filter((v) => v >= lo && v <= hi).length);
  }
});

Deno.test("logLogWindowFit() recovers the exponent of an exact power law", () => {
  const k = [1, 2, 3, 5, 8, 13, 21];
  const fit = logLogWindowFit(k, k.map((v) => 2.5 * v ** -0.4), 2, 13);
  // float64 round-off only.
  assertClose(fit.slope, -0.4, { rtol: 1e-12 });
  assertClose(Math.exp(fit.intercept), 2.5, { rtol: 1e-12 });
});

Deno.test("logLogWindowFit() rejects mismatched lengths and windows with fewer than 2 points", () => {
  assert.throws(() => logLogWindowFit([1, 2], [1], 1, 2), TypeError);
  assert.throws(
    () => logLogWindowFit([1, 2, 4], [1, 2, 4], 3, 3.5),
    RangeError,
  );
  assert.throws(() => logLogWindowFit([2, 2], [1, 3], 1, 4), RangeError);
});
