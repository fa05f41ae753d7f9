import assert from "node:assert/strict";
import { Rng } from "../../src/random/rng.ts";
import { diag, identity, matrix, toArrays } from "../../src/linalg/matrix.ts";
import {
  add,
  matMul,
  matVec,
  maxAbs,
  sub,
  transpose,
} from "../../src/linalg/matrix_ops.ts";
import { solveLinear } from "../../src/linalg/solve_linear.ts";
import { cholesky } from "../../src/linalg/cholesky.ts";
import {
  solveContinuousLyapunov,
  solveDiscreteLyapunov,
} from "../../src/linalg/lyapunov.ts";
import { assertPsd, assertSymmetric } from "../../src/linalg/validate.ts";
import { assertAllClose } from "../_util/assert_close.ts";
import { randomGaussian, randomPsd } from "./_random_matrices.ts";

Deno.test("solveLinear() residual A·x − b vanishes to round-off (d = 1..5, vector and matrix RHS)", () => {
  const rng = Rng.fromSeed(21n);
  for (let n = 1; n <= 5; n++) {
    const a = add(randomGaussian(rng, n), identity(n), 1, 3); // well conditioned
    const b = randomGaussian(rng, n, 1).data;
    const x = solveLinear(a, b);
    // Backward stable LU: residual ≤ c·n·ε·‖A‖‖x‖; 1e-13 is generous for these O(1) systems.
    assertAllClose(matVec(a, x), b, { rtol: 0, atol: 1e-13 });
    const bm = randomGaussian(rng, n, 3);
    const xm = solveLinear(a, bm);
    assert.ok(maxAbs(sub(matMul(a, xm), bm)) < 1e-13);
  }
});

Deno.test("solveLinear() needs pivoting for a zero leading entry and throws RangeError when singular", () => {
  // [[0,1],[1,0]] x = (2,3) ⇒ x = (3,2) exactly.
  assert.deepEqual(
    Array.from(solveLinear(matrix([[0, 1], [1, 0]]), new Float64Array([2, 3]))),
    [3, 2],
  );
  assert.throws(
    () => solveLinear(matrix([[1, 2], [2, 4]]), new Float64Array([1, 1])),
    RangeError,
  );
  assert.throws(
    () => solveLinear(matrix([[1, 2]]), new Float64Array([1])),
    TypeError,
  );
  assert.throws(
    () => solveLinear(identity(2), new Float64Array([1, 2, 3])),
    TypeError,
  );
});

Deno.test("cholesky() reproduces A = L·Lᵀ for PD and rank-deficient PSD matrices", () => {
  const rng = Rng.fromSeed(22n);
  for (let n = 1; n <= 5; n++) {
    for (const rank of [n, Math.max(1, n - 2), 0]) {
      const a = randomPsd(rng, n, rank);
      const l = cholesky(a);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) assert.equal(l.data[i * n + j], 0);
      }
      // Round-off in the zero-pivot branch is O(√(rtol)·‖A‖) at worst; observed ~1e-15, bound 1e-9.
      assertAllClose(matMul(l, transpose(l)).data, a.data, {
        rtol: 0,
        atol: 1e-9 * Math.max(maxAbs(a), 1),
      });
    }
  }
});

Deno.test("cholesky() throws RangeError for indefinite and TypeError for non-symmetric input", () => {
  assert.throws(() => cholesky(matrix([[1, 2], [2, 1]])), RangeError);
  assert.throws(() => cholesky(matrix([[0, 1], [1, 0]])), RangeError);
  assert.throws(() => cholesky(matrix([[1, 2], [0, 1]])), TypeError);
  assert.deepEqual(toArrays(cholesky(diag([4, 0, 9]))), [[2, 0, 0], [0, 0, 0], [
    0,
    0,
    3,
  ]]);
});

Deno.test("solveContinuousLyapunov() satisfies A·C + C·Aᵀ = Q and matches C_ij = Q_ij/(a_i + a_j) for diagonal A", () => {
  const rng = Rng.fromSeed(23n);
  for (let n = 1; n <= 5; n++) {
    // Stable non-symmetric A: shift a Gaussian matrix so its eigenvalues have positive real part.
    const a = add(randomGaussian(rng, n), identity(n), 1, 2 * Math.sqrt(n) + 1);
    const q = randomPsd(rng, n);
    const c = solveContinuousLyapunov(a, q);
    const res = sub(add(matMul(a, c), matMul(c, transpose(a))), q);
    // LU on the n²×n² Kronecker system is backward stable: residual O(n²·ε·‖A‖‖C‖).
    assert.ok(maxAbs(res) < 1e-12, `residual ${maxAbs(res)}`);
    assertSymmetric(c, { rtol: 1e-12 });
    assertPsd(c); // stable A and PSD Q ⇒ PSD C
  }
  const av = [0.5, 2, 3];
  const q = randomPsd(rng, 3);
  const c = solveContinuousLyapunov(diag(av), q);
  const expected = q.data.map((v, k) =>
    v / (av[Math.floor(k / 3)]! + av[k % 3]!)
  );
  assertAllClose(c.data, expected, { rtol: 1e-14, atol: 0 }); // 1e-14: few-ulp LU round-off
});

Deno.test("solveDiscreteLyapunov() satisfies P = M·P·Mᵀ + N and matches the convergent series Σ Mᵏ N Mᵏᵀ", () => {
  const rng = Rng.fromSeed(24n);
  for (let n = 1; n <= 5; n++) {
    const g = randomGaussian(rng, n);
    const m = matMul(identity(n), g);
    const rho = Math.sqrt(maxAbs(matMul(g, transpose(g)))) * n; // crude bound ≥ spectral radius
    for (let i = 0; i < m.data.length; i++) m.data[i]! *= 0.7 / rho;
    const nn = randomPsd(rng, n);
    const p = solveDiscreteLyapunov(m, nn);
    const res = sub(
      sub(p, matMul(matMul(m, p), transpose(m))),
      nn,
    );
    assert.ok(maxAbs(res) < 1e-13, `residual ${maxAbs(res)}`);
    // Independent route: sum the series until the terms underflow (‖M‖ ≤ 0.7 ⇒ 200 terms reach 1e-31).
    let term = nn;
    let sum = nn;
    for (let k = 0; k < 200; k++) {
      term = matMul(matMul(m, term), transpose(m));
      sum = add(sum, term);
    }
    assertAllClose(p.data, sum.data, { rtol: 1e-12, atol: 1e-14 }); // summation round-off
  }
});

Deno.test("Lyapunov solvers throw TypeError on shape mismatch and RangeError above the size limit", () => {
  assert.throws(
    () => solveContinuousLyapunov(identity(2), identity(3)),
    TypeError,
  );
  assert.throws(
    () => solveDiscreteLyapunov(matrix([[1, 2]]), identity(1)),
    TypeError,
  );
  assert.throws(
    () => solveContinuousLyapunov(identity(41), identity(41)),
    RangeError,
  );
  // Singular: A = 0 has λ_i + λ_j = 0.
  assert.throws(
    () => solveContinuousLyapunov(diag([0, 1]), identity(2)),
    RangeError,
  );
});

Deno.test("assertSymmetric() and assertPsd() use tolerances relative to the matrix scale", () => {
  assertSymmetric(matrix([[1e6, 1e6 + 1e-6], [1e6, 1]])); // 1e-6 ≪ 1e-10·1e6 = 1e-4
  assert.throws(() => assertSymmetric(matrix([[1, 1e-3], [0, 1]])), TypeError);
  assert.throws(
    () => assertSymmetric(matrix([[1, 2, 3]]), { name: "H" }),
    /H is not square/,
  );
  assertPsd(matrix([[1, 1], [1, 1 - 1e-14]])); // −5e-15 within tolerance
  assert.throws(
    () =>
      assertPsd(matrix([[1, 0], [0, -1e-3]]), {
        name: "Σ",
        action: "build model",
      }),
    /Cannot build model as Σ is not positive semi-definite/,
  );
});
