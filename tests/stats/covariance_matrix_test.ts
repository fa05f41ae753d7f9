import assert from "node:assert/strict";
import { covarianceMatrix } from "../../src/stats/covariance_matrix.ts";
import { assertAllClose, assertClose } from "../_util/assert_close.ts";
import { Rng } from "../../src/random/rng.ts";

Deno.test("covarianceMatrix() matches hand computation for 3 samples in 2-D", () => {
  // Samples (1,2), (3,0), (5,4): means (3,2); deviations (−2,0),(0,−2),(2,2) ⇒ C = [[8,4],[4,8]]/2.
  assertAllClose(covarianceMatrix([1, 2, 3, 0, 5, 4], 2), [4, 2, 2, 4]);
});

Deno.test("covarianceMatrix() recovers a known covariance from simulated samples (4σ)", () => {
  // x = L z with L = [[1,0],[0.6,0.8]] ⇒ C = L Lᵀ = [[1,0.6],[0.6,1]].
  const n = 200_000;
  const rng = Rng.fromSeed(31n);
  const s = new Float64Array(2 * n);
  for (let r = 0; r < n; r++) {
    const z1 = rng.normal();
    const z2 = rng.normal();
    s[2 * r] = z1;
    s[2 * r + 1] = 0.6 * z1 + 0.8 * z2;
  }
  const c = covarianceMatrix(s, 2);
  // Gaussian: Var(ĉ_ij) = (c_ii c_jj + c_ij²)/(n−1).
  // Both variances are 1 here, so the SE is √((1 + c_ij²)/(n−1)).
  const se = (cij: number) => Math.sqrt((1 + cij * cij) / (n - 1));
  assertClose(c[0]!, 1, { atol: 4 * se(1) });
  assertClose(c[1]!, 0.6, { atol: 4 * se(0.6) });
  assertClose(c[3]!, 1, { atol: 4 * se(1) });
  assert.equal(c[1], c[2]);
});

Deno.test("covarianceMatrix() throws on bad shapes", () => {
  assert.throws(() => covarianceMatrix([1, 2, 3], 2), TypeError);
  assert.throws(() => covarianceMatrix([1, 2], 2), RangeError);
  assert.throws(() => covarianceMatrix([1, 2], 0), RangeError);
});
