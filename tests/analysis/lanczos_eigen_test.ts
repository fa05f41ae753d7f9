import assert from "node:assert/strict";
import { Rng } from "../../src/random/rng.ts";
import { lanczosEigen } from "../../src/analysis/lanczos_eigen.ts";
import { assertAllClose } from "../_util/assert_close.ts";
import {
  type Dense,
  fromSpectrum,
  jacobiEigen,
  matVec,
  randomOrthogonal,
  randomSymmetric,
} from "./_dense.ts";

function op(m: Dense) {
  return (v: Float64Array) => matVec(m, v);
}

/** |uᵀv| for unit vectors: 1 when they span the same line. */
function overlap(u: ArrayLike<number>, v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i]! * v[i]!;
  return Math.abs(s);
}

Deno.test("lanczosEigen() on a diagonal matrix returns its largest entries and unit basis vectors", async () => {
  const rng = Rng.fromSeed(5n);
  const dim = 50;
  // Entries 1.1^i in random order: well-separated top (relative gaps ≈ 10 %), so the default maxIter suffices.
  const diag = Float64Array.from({ length: dim }, (_, i) => 1.1 ** i);
  for (let i = dim - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [diag[i], diag[j]] = [diag[j]!, diag[i]!];
  }
  const r = await lanczosEigen((v) => v.map((x, i) => diag[i]! * x), dim, {
    k: 5,
    rng: Rng.fromSeed(6n),
    tol: 1e-12,
  });
  const expected = Array.from(diag).sort((a, b) => b - a).slice(0, 5);
  for (let j = 0; j < 5; j++) {
    // Symmetric case: some eigenvalue lies within the explicit residual ‖Ay − θy‖ of θ (plus round-off).
    assert.ok(Math.abs(r.values[j]! - expected[j]!) <= r.residuals[j]! + 1e-13);
    const i = diag.indexOf(expected[j]!);
    // Sign convention: the largest entry (here the only O(1) entry) is positive.
    assert.ok(Math.abs(r.vectors[j]![i]! - 1) < 1e-10, `vector ${j}`);
    assert.ok(r.residuals[j]! < 1e-9, `residual ${r.residuals[j]}`);
  }
  assert.ok(r.converged);
  assert.equal(r.operatorApplications, r.iterations + 5);
});

Deno.test("lanczosEigen() matches a dense Jacobi solve on random symmetric matrices (largest and both ends)", async () => {
  const rng = Rng.fromSeed(21n);
  for (const dim of [8, 30, 60]) {
    const a = randomSymmetric(rng, dim);
    const ref = jacobiEigen(a);
    const k = Math.min(6, dim);
    const top = await lanczosEigen(op(a), dim, {
      k,
      rng: Rng.fromSeed(BigInt(dim)),
      tol: 1e-12,
      maxIter: dim,
    });
    const refTop = Array.from(ref.values).reverse().slice(0, k);
    // ‖A‖ ≈ √(2·dim); backward-stable routes agree to ~1e-14·‖A‖·dim.
    assertAllClose(top.values, refTop, { rtol: 0, atol: 1e-11 }, `dim=${dim}`);
    for (let j = 0; j < k; j++) {
      const refVec = ref.vectors[dim - 1 - j]!;
      // Vector error ≈ residual/gap; gaps of a GOE matrix at the edge are ≳ 1e-2 here.
      assert.ok(Math.abs(overlap(top.vectors[j]!, refVec) - 1) < 1e-9);
      assert.ok(top.residuals[j]! < 1e-9, `residual ${top.residuals[j]}`);
    }
    const both = await lanczosEigen(op(a), dim, {
      k: 5,
      rng: Rng.fromSeed(3n),
      tol: 1e-12,
      which: "both",
      maxIter: dim,
    });
    // scipy's "BE": ⌈5/2⌉ = 3 from the top, 2 from the bottom; returned in descending order.
    const v = ref.values;
    const expectedBoth = [v[dim - 1]!, v[dim - 2]!, v[dim - 3]!, v[1]!, v[0]!];
    assertAllClose(both.values, expectedBoth, { rtol: 0, atol: 1e-11 });
  }
});

Deno.test("lanczosEigen() separates a tight cluster at the top of the spectrum", async () => {
  const rng = Rng.fromSeed(33n);
  const dim = 80;
  const spectrum = Float64Array.from({ length: dim }, () => 5 * rng.float());
  spectrum[0] = 10;
  spectrum[1] = 10 - 1e-3;
  spectrum[2] = 10 - 2e-3;
  const q = randomOrthogonal(rng, dim);
  const a = fromSpectrum(spectrum, q);
  const r = await lanczosEigen(op(a), dim, {
    k: 3,
    rng: Rng.fromSeed(34n),
    tol: 1e-13,
  });
  // Ritz values converge quadratically in the residual; the explicit residual is checked below.
  assertAllClose(r.values, [10, 10 - 1e-3, 10 - 2e-3], {
    rtol: 0,
    atol: 1e-10,
  });
  for (let j = 0; j < 3; j++) {
    assert.ok(r.residuals[j]! < 1e-8, `residual ${r.residuals[j]}`);
    // Cluster gap 1e-3: vector error ≲ residual/gap.
    assert.ok(Math.abs(overlap(r.vectors[j]!, q[j]!) - 1) < 1e-8);
  }
});

Deno.test("lanczosEigen() finds all copies of a repeated eigenvalue after an invariant-subspace breakdown", async () => {
  const rng = Rng.fromSeed(44n);
  const dim = 30;
  const spectrum = Float64Array.from({ length: dim }, () => 5 * rng.float());
  spectrum[0] = 7;
  spectrum[1] = 7;
  spectrum[2] = 7;
  const q = randomOrthogonal(rng, dim);
  const a = fromSpectrum(spectrum, q);
  // tol = 0 forces the full Krylov space, so the breakdown at 28 distinct values triggers a restart.
  const r = await lanczosEigen(op(a), dim, {
    k: 4,
    rng: Rng.fromSeed(45n),
    tol: 0,
    maxIter: dim,
  });
  const fourth = Array.from(spectrum).sort((x, y) => y - x)[3]!;
  assertAllClose(r.values, [7, 7, 7, fourth], { rtol: 0, atol: 1e-12 });
  // The three vectors are orthonormal and lie in span{q₀, q₁, q₂}.
  for (let j = 0; j < 3; j++) {
    let inSpan = 0;
    for (let c = 0; c < 3; c++) inSpan += overlap(r.vectors[j]!, q[c]!) ** 2;
    assert.ok(Math.abs(inSpan - 1) < 1e-12);
    for (let l = 0; l < j; l++) {
      assert.ok(overlap(r.vectors[j]!, r.vectors[l]!) < 1e-12);
    }
    assert.ok(r.residuals[j]! < 1e-12);
  }
});

Deno.test("lanczosEigen() is deterministic for a seed and accepts async operators", async () => {
  const a = randomSymmetric(Rng.fromSeed(8n), 40);
  const opts = () => ({ k: 3, rng: Rng.fromSeed(9n), tol: 1e-10 });
  const r1 = await lanczosEigen(op(a), 40, opts());
  const r2 = await lanczosEigen(op(a), 40, opts());
  const r3 = await lanczosEigen(
    (v) => Promise.resolve(matVec(a, v)),
    40,
    opts(),
  );
  for (const r of [r2, r3]) {
    assert.deepEqual(Array.from(r.values), Array.from(r1.values));
    assert.deepEqual(Array.from(r.vectors[2]!), Array.from(r1.vectors[2]!));
    assert.equal(r.iterations, r1.iterations);
  }
  // A Float32Array result is widened to float64: an integer diagonal is exact in both.
  const d = [4, 1, 3, 2];
  const r64 = await lanczosEigen((v) => v.map((x, i) => d[i]! * x), 4, {
    k: 2,
    rng: Rng.fromSeed(2n),
  });
  const r32 = await lanczosEigen(
    (v) => Float32Array.from(v, (x, i) => d[i]! * Math.fround(x)),
    4,
    { k: 2, rng: Rng.fromSeed(2n) },
  );
  // Inputs rounded to float32 each step: Ritz values agree to float32 precision.
  assertAllClose(r32.values, r64.values, { rtol: 1e-6, atol: 0 });
});

Deno.test("lanczosEigen() explicit residuals expose a noisy operator that the recurrence estimate misses", async () => {
  const dim = 40;
  const a = randomSymmetric(Rng.fromSeed(12n), dim);
  const noise = Rng.fromSeed(13n);
  // A float32-like operator: each product is perturbed by ~1e-6 relative noise.
  const noisy = (v: Float64Array) =>
    matVec(a, v).map((x) => x * (1 + 1e-6 * noise.normal()));
  const r = await lanczosEigen(noisy, dim, {
    k: 2,
    rng: Rng.fromSeed(14n),
    tol: 1e-4,
  });
  assert.ok(r.converged);
  // Explicit residual ≥ noise level ≈ 1e-6·‖A v‖ (‖A‖ ≈ 9), while the estimate is only bounded by tol·‖A‖.
  for (let j = 0; j < 2; j++) {
    assert.ok(r.residuals[j]! > 1e-7 && r.residuals[j]! < 1e-3);
  }
  const noExplicit = await lanczosEigen(noisy, dim, {
    k: 2,
    rng: Rng.fromSeed(14n),
    tol: 1e-4,
    residualMethod: "recurrence",
  });
  assert.deepEqual(noExplicit.residuals, noExplicit.ritzEstimates);
  assert.equal(noExplicit.operatorApplications, noExplicit.iterations);
  // From the stored products: the same noise level, without extra applications.
  const stored = await lanczosEigen(noisy, dim, {
    k: 2,
    rng: Rng.fromSeed(14n),
    tol: 1e-4,
    residualMethod: "products",
  });
  assert.equal(stored.operatorApplications, stored.iterations);
  for (let j = 0; j < 2; j++) {
    assert.ok(stored.residuals[j]! > 1e-7 && stored.residuals[j]! < 1e-3);
  }
});

Deno.test("lanczosEigen() residuals from stored products equal those of fresh applications for an exact operator", async () => {
  const dim = 60;
  const a = randomSymmetric(Rng.fromSeed(21n), dim);
  // tol 0 and maxIter 20 < dim: the Ritz pairs are not converged, so the residuals are far from zero.
  const options = { k: 4, rng: Rng.fromSeed(22n), tol: 0, maxIter: 20 };
  const fresh = await lanczosEigen(op(a), dim, { ...options });
  const stored = await lanczosEigen(op(a), dim, {
    ...options,
    rng: Rng.fromSeed(22n),
    residualMethod: "products",
  });
  assert.equal(fresh.operatorApplications, 20 + 4);
  assert.equal(stored.operatorApplications, 20);
  assert.deepEqual(stored.values, fresh.values);
  for (let j = 0; j < 4; j++) {
    assert.ok(fresh.residuals[j]! > 1e-3, `${fresh.residuals[j]}`);
    assert.ok(
      Math.abs(stored.residuals[j]! - fresh.residuals[j]!) <=
        1e-10 * fresh.residuals[j]!,
      `${stored.residuals[j]} vs ${fresh.residuals[j]}`,
    );
  }
  await assert.rejects(
    lanczosEigen(op(a), dim, {
      k: 1,
      rng: Rng.fromSeed(1n),
      residualMethod: "both" as "apply",
    }),
    RangeError,
  );
});

Deno.test("lanczosEigen() handles a zero operator and dim = 1", async () => {
  const r0 = await lanczosEigen((v) => new Float64Array(v.length), 6, {
    k: 2,
    rng: Rng.fromSeed(1n),
  });
  assert.deepEqual(Array.from(r0.values), [0, 0]);
  assert.equal(r0.iterations, 6);
  const r1 = await lanczosEigen((v) => v.map((x) => -3 * x), 1, {
    k: 1,
    rng: Rng.fromSeed(1n),
  });
  assert.equal(r1.values[0], -3);
  assert.deepEqual(Array.from(r1.vectors[0]!), [1]);
});

Deno.test("lanczosEigen() throws RangeError/TypeError on bad arguments and bad operator output", async () => {
  const id = (v: Float64Array) => v.slice();
  const rng = Rng.fromSeed(1n);
  await assert.rejects(() => lanczosEigen(id, 3, { k: 4, rng }), RangeError);
  await assert.rejects(() => lanczosEigen(id, 0, { k: 1, rng }), RangeError);
  await assert.rejects(
    () => lanczosEigen(id, 10, { k: 3, rng, maxIter: 2 }),
    RangeError,
  );
  await assert.rejects(
    () => lanczosEigen(id, 10, { k: 3, rng, tol: -1 }),
    RangeError,
  );
  await assert.rejects(
    () => lanczosEigen((v) => v.subarray(1), 5, { k: 1, rng }),
    TypeError,
  );
  await assert.rejects(
    () => lanczosEigen((v) => v.map(() => NaN), 5, { k: 1, rng }),
    (e: unknown) =>
      e instanceof RangeError && /^Cannot run Lanczos as/.test(e.message),
  );
});
