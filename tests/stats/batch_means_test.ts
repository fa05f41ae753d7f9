import assert from "node:assert/strict";
import { batchMeansStandardError } from "../../src/stats/batch_means.ts";
import { assertClose } from "../_util/assert_close.ts";
import { Rng } from "../../src/random/rng.ts";

Deno.test("batchMeansStandardError() follows the ⌊√n⌋ batch rule and drops the oldest samples", () => {
  // n = 10: a = 3 batches of b = 3, drop 1. Batches (1,2,3), (4,5,6), (7,8,9) after dropping x₀ = 100.
  const r = batchMeansStandardError([100, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(r.batches, 3);
  assert.equal(r.batchSize, 3);
  assert.equal(r.dropped, 1);
  assert.equal(r.mean, 5);
  // Batch means 2, 5, 8: variance 9 ⇒ SE = √(9/3).
  assertClose(r.standardError, Math.sqrt(3));
});

Deno.test("batchMeansStandardError() recovers the long-run SE of an AR(1) series", () => {
  // x_t = φ x_{t−1} + ε_t, Var ε = 1: long-run variance σ²_LR = 1/(1−φ)², so SE(mean) = 1/((1−φ)√n).
  const phi = 0.9;
  const n = 40_000;
  const reps = 100;
  const rng = Rng.fromSeed(21n);
  const eps = new Float64Array(n);
  let se2 = 0;
  for (let r = 0; r < reps; r++) {
    rng.fillNormal(eps);
    const x = new Float64Array(n);
    let prev = rng.normal() / Math.sqrt(1 - phi * phi); // stationary start
    for (let t = 0; t < n; t++) {
      prev = phi * prev + eps[t]!;
      x[t] = prev;
    }
    const res = batchMeansStandardError(x);
    assert.equal(res.batches, 200);
    se2 += res.standardError ** 2;
  }
  const truth = 1 / ((1 - phi) ** 2 * n);
  // Batch length 200 vs τ_int = 19: batch-means bias ≈ −2φ/((1−φ)(1−φ²)b)·(1−φ)² ≈ −4.7 % in SE²; Monte-Carlo
  // sd of the average of SE² over 100 series ≈ √(2/199)/10 = 1 % ⇒ 4σ = 4 %. Allow 10 % relative.
  assertClose(se2 / reps, truth, { rtol: 0.1 });
  assert.ok(
    se2 / reps < truth,
    "batch means is biased low at finite batch length",
  );
});

Deno.test("batchMeansStandardError() throws RangeError for short series or a bad batch count", () => {
  assert.throws(() => batchMeansStandardError([1, 2, 3]), RangeError);
  assert.throws(() => batchMeansStandardError([1, 2, 3, 4], 1), RangeError);
  assert.throws(() => batchMeansStandardError([1, 2, 3, 4], 2.5), RangeError);
});
