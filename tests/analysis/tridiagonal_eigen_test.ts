import assert from "node:assert/strict";
import { Rng } from "../../src/random/rng.ts";
import { tridiagonalEigen } from "../../src/analysis/tridiagonal_eigen.ts";
import { assertAllClose, assertClose } from "../_util/assert_close.ts";
import { type Dense, jacobiEigen } from "./_dense.ts";

function toDense(diag: ArrayLike<number>, off: ArrayLike<number>): Dense {
  const n = diag.length;
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    data[i * n + i] = diag[i]!;
    if (i < n - 1) {
      data[i * n + i + 1] = off[i]!;
      data[(i + 1) * n + i] = off[i]!;
    }
  }
  return { n, data };
}

/** max_j ‖T v_j − λ_j v_j‖ and max |v_iᵀv_j − δ_ij|. */
function invariants(
  diag: ArrayLike<number>,
  off: ArrayLike<number>,
  values: Float64Array,
  vectors: Float64Array[],
): { residual: number; orth: number } {
  const n = diag.length;
  let residual = 0;
  let orth = 0;
  for (let j = 0; j < n; j++) {
    const v = vectors[j]!;
    for (let i = 0; i < n; i++) {
      let tv = diag[i]! * v[i]!;
      if (i > 0) tv += off[i - 1]! * v[i - 1]!;
      if (i < n - 1) tv += off[i]! * v[i + 1]!;
      residual = Math.max(residual, Math.abs(tv - values[j]! * v[i]!));
    }
    for (let k = 0; k < n; k++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += v[i]! * vectors[k]![i]!;
      orth = Math.max(orth, Math.abs(d - (j === k ? 1 : 0)));
    }
  }
  return { residual, orth };
}

Deno.test("tridiagonalEigen() matches the closed form of the Toeplitz tridiagonal matrix", () => {
  // T = tridiag(b, a, b): λ_j = a + 2b·cos(jπ/(n+1)), v_j[i] ∝ sin(ijπ/(n+1)), j, i = 1…n.
  for (const n of [1, 2, 3, 5, 8, 13, 50]) {
    const a = 1.5;
    const b = -0.7;
    const { values, vectors } = tridiagonalEigen(
      new Float64Array(n).fill(a),
      new Float64Array(n - 1).fill(b),
    );
    const expected = Array.from(
      { length: n },
      (_, j) => a + 2 * b * Math.cos(((j + 1) * Math.PI) / (n + 1)),
    ).sort((x, y) => x - y);
    // Backward stable QL: errors O(n·ε·‖T‖) with ‖T‖ ≤ 3; 1e-13 covers n ≤ 50.
    assertAllClose(values, expected, { rtol: 0, atol: 1e-13 }, `n=${n}`);
    for (let j = 0; j < n; j++) {
      // Eigenvalue a + 2b cos(mπ/(n+1)) with b < 0 is ascending in m, so sorted index j ↔ m = j + 1.
      const m = j + 1;
      const norm = Math.sqrt(2 / (n + 1));
      const ref = Array.from(
        { length: n },
        (_, i) => norm * Math.sin(((i + 1) * m * Math.PI) / (n + 1)),
      );
      const v = vectors[j]!;
      const sign = Math.sign(
        v.reduce((s, x, i) => s + x * ref[i]!, 0),
      );
      // Eigenvector error ≈ ε·‖T‖/gap; the smallest gap at n = 50 is ≈ 1.4·(π/51)² ≈ 5e-3.
      assertAllClose(
        v.map((x) => sign * x),
        ref,
        { rtol: 0, atol: 1e-11 },
        `n=${n} vector ${j}`,
      );
    }
  }
});

Deno.test("tridiagonalEigen() agrees with a dense Jacobi solve on random tridiagonals", () => {
  const rng = Rng.fromSeed(101n);
  for (let n = 1; n <= 25; n++) {
    const diag = rng.fillNormal(new Float64Array(n));
    const off = rng.fillNormal(new Float64Array(n - 1));
    const { values, vectors } = tridiagonalEigen(diag, off);
    const ref = jacobiEigen(toDense(diag, off));
    // Both routes are backward stable: eigenvalue differences O(n·ε·‖T‖), ‖T‖ ≲ 6.
    assertAllClose(values, ref.values, { rtol: 0, atol: 1e-12 }, `n=${n}`);
    const inv = invariants(diag, off, values, vectors);
    assert.ok(inv.residual < 1e-13, `residual ${inv.residual} at n=${n}`);
    assert.ok(inv.orth < 1e-13, `orthogonality ${inv.orth} at n=${n}`);
  }
});

Deno.test("tridiagonalEigen() handles split matrices, repeated values and wide scales", () => {
  // Zero couplings: the diagonal itself, sorted.
  const r1 = tridiagonalEigen([3, 1, 2, 1], [0, 0, 0]);
  assert.deepEqual(Array.from(r1.values), [1, 1, 2, 3]);
  // Two decoupled 2×2 blocks [[2,1],[1,2]] ⇒ {1, 3} twice.
  const r2 = tridiagonalEigen([2, 2, 2, 2], [1, 0, 1]);
  assertAllClose(r2.values, [1, 1, 3, 3], { rtol: 0, atol: 4e-16 * 3 * 4 });
  const inv2 = invariants([2, 2, 2, 2], [1, 0, 1], r2.values, r2.vectors);
  assert.ok(inv2.orth < 1e-14 && inv2.residual < 1e-14);
  // Graded matrix spanning 12 orders of magnitude: compare with Jacobi relative to ‖T‖.
  const diag = [1e6, 1e3, 1, 1e-3, 1e-6];
  const off = [1e4, 10, 1e-2, 1e-5];
  const r3 = tridiagonalEigen(diag, off);
  const ref = jacobiEigen(toDense(diag, off));
  // Normwise backward stability: absolute errors ≲ n·ε·‖T‖ ≈ 5·2.2e-16·1e6.
  assertAllClose(r3.values, ref.values, { rtol: 0, atol: 1e-9 });
  assertClose(r3.values[4]!, ref.values[4]!, { rtol: 1e-12 });
});

Deno.test("tridiagonalEigen() throws TypeError on a length mismatch and RangeError on non-finite input", () => {
  assert.throws(() => tridiagonalEigen([1, 2], [1, 2]), TypeError);
  assert.throws(() => tridiagonalEigen([], []), TypeError);
  assert.throws(() => tridiagonalEigen([1, NaN], [1]), RangeError);
  assert.throws(() => tridiagonalEigen([1, 2], [Infinity]), RangeError);
});
