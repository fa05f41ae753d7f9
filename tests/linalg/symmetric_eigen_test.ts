import assert from "node:assert/strict";
import { Rng } from "../../src/random/rng.ts";
import { diag, identity, matrix } from "../../src/linalg/matrix.ts";
import { matMul, maxAbs, sub, transpose } from "../../src/linalg/matrix_ops.ts";
import { symmetricEigen } from "../../src/linalg/symmetric_eigen.ts";
import { assertAllClose } from "../_util/assert_close.ts";
import { randomPsd, randomSymmetric } from "./_random_matrices.ts";

// Backward-stable eigensolver: residuals ‖A V − V Λ‖ and ‖VᵀV − I‖ are O(n·ε·‖A‖); 1e-13 covers n ≤ 5.
const TOL = { rtol: 0, atol: 1e-13 };

function checkInvariants(a: ReturnType<typeof matrix>): void {
  const { values, vectors } = symmetricEigen(a);
  const n = a.rows;
  for (let i = 1; i < n; i++) assert.ok(values[i]! >= values[i - 1]!);
  const av = matMul(a, vectors);
  const vl = matMul(vectors, diag(values));
  const scaleA = Math.max(maxAbs(a), 1);
  assert.ok(maxAbs(sub(av, vl)) <= TOL.atol * scaleA, "A·V = V·Λ");
  assertAllClose(
    matMul(transpose(vectors), vectors).data,
    identity(n).data,
    TOL,
    "VᵀV = I",
  );
}

Deno.test("symmetricEigen() satisfies A·v = λ·v and VᵀV = I on random symmetric matrices (d = 1..5)", () => {
  const rng = Rng.fromSeed(11n);
  for (let n = 1; n <= 5; n++) {
    for (let rep = 0; rep < 5; rep++) {
      checkInvariants(randomSymmetric(rng, n));
      checkInvariants(randomPsd(rng, n, Math.max(1, n - 2)));
    }
  }
});

Deno.test("symmetricEigen() handles repeated eigenvalues and returns a diagonal's entries sorted", () => {
  checkInvariants(identity(4));
  checkInvariants(matrix([[2, 0, 0], [0, 1, 0], [0, 0, 2]]));
  const { values } = symmetricEigen(diag([3, -1, 2]));
  assert.deepEqual(Array.from(values), [-1, 2, 3]);
  // Closed form for [[a, b], [b, a]]: a ± b.
  const ev = symmetricEigen(matrix([[5, 2], [2, 5]])).values;
  assertAllClose(ev, [3, 7], { rtol: 1e-15, atol: 0 });
});

Deno.test("symmetricEigen() throws TypeError for a non-square matrix and RangeError for NaN", () => {
  assert.throws(() => symmetricEigen(matrix([[1, 2]])), TypeError);
  const bad = matrix([[1, 0], [0, 1]]);
  bad.data[3] = NaN;
  assert.throws(() => symmetricEigen(bad), RangeError);
});
