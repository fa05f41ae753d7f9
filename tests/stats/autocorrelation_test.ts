import assert from "node:assert/strict";
import { autocorrelation } from "../../src/stats/autocorrelation.ts";
import { assertAllClose, assertClose } from "../_util/assert_close.ts";
import { Rng } from "../../src/random/rng.ts";

Deno.test("autocorrelation() matches hand computation", () => {
  // x = (1, 2, 3, 4): mean 2.5, d = (−1.5, −0.5, 0.5, 1.5); c0 = 5, c1 = 0.75 − 0.25 + 0.75 = 1.25, c2 = −0.75 − 0.75.
  assertAllClose(autocorrelation([1, 2, 3, 4], 2), [1, 0.25, -0.3]);
});

Deno.test("autocorrelation() of an AR(1) series is φ^ℓ (Bartlett 4σ)", () => {
  const phi = 0.7;
  const n = 100_000;
  const rng = Rng.fromSeed(41n);
  const x = new Float64Array(n);
  let prev = rng.normal() / Math.sqrt(1 - phi * phi);
  for (let t = 0; t < n; t++) {
    prev = phi * prev + rng.normal();
    x[t] = prev;
  }
  const rho = autocorrelation(x, 5);
  for (let k = 1; k <= 5; k++) {
    // Bartlett's formula for AR(1): Var ρ̂_k ≈ [(1+φ²)(1−φ^{2k})/(1−φ²) − 2kφ^{2k}]/n.
    const p2k = phi ** (2 * k);
    const v = ((1 + phi * phi) * (1 - p2k) / (1 - phi * phi) - 2 * k * p2k) / n;
    assertClose(rho[k]!, phi ** k, { atol: 4 * Math.sqrt(v) }, `lag ${k}`);
  }
});

Deno.test("autocorrelation() throws RangeError on a constant series or a bad lag", () => {
  assert.throws(() => autocorrelation([1, 1, 1], 1), RangeError);
  assert.throws(() => autocorrelation([1, 2, 3], 3), RangeError);
  assert.throws(() => autocorrelation([1], 0), RangeError);
});
