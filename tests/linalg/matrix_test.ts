import assert from "node:assert/strict";
import {
  diag,
  diagonal,
  fromData,
  get,
  identity,
  matrix,
  toArrays,
  zeros,
} from "../../src/linalg/matrix.ts";
import {
  add,
  blockMatrix,
  congruence,
  frobeniusNorm,
  matMul,
  matVec,
  maxAbs,
  scale,
  sub,
  subMatrix,
  trace,
  transpose,
} from "../../src/linalg/matrix_ops.ts";

Deno.test("matrix() builds row-major data and rejects ragged or non-finite rows", () => {
  const m = matrix([[1, 2, 3], [4, 5, 6]]);
  assert.equal(m.rows, 2);
  assert.equal(m.cols, 3);
  assert.deepEqual(Array.from(m.data), [1, 2, 3, 4, 5, 6]);
  assert.equal(get(m, 1, 2), 6);
  assert.throws(() => get(m, 2, 0), RangeError);
  assert.throws(() => matrix([[1, 2], [3]]), TypeError);
  assert.throws(() => matrix([[1, NaN]]), RangeError);
  assert.throws(() => fromData(2, 2, new Float64Array(3)), TypeError);
  assert.throws(() => zeros(-1, 2), RangeError);
});

Deno.test("identity(), diag() and diagonal() agree", () => {
  assert.deepEqual(toArrays(identity(3)), toArrays(diag([1, 1, 1])));
  assert.deepEqual(Array.from(diagonal(diag([4, 5]))), [4, 5]);
});

Deno.test("matMul() matches hand-expanded products and shape checks throw TypeError", () => {
  const a = matrix([[1, 2], [3, 4], [5, 6]]);
  const b = matrix([[7, 8, 9], [10, 11, 12]]);
  // (AB)_ij = Σ_k a_ik b_kj expanded by hand.
  assert.deepEqual(toArrays(matMul(a, b)), [
    [1 * 7 + 2 * 10, 1 * 8 + 2 * 11, 1 * 9 + 2 * 12],
    [3 * 7 + 4 * 10, 3 * 8 + 4 * 11, 3 * 9 + 4 * 12],
    [5 * 7 + 6 * 10, 5 * 8 + 6 * 11, 5 * 9 + 6 * 12],
  ]);
  assert.throws(() => matMul(a, a), TypeError);
  assert.deepEqual(toArrays(transpose(a)), [[1, 3, 5], [2, 4, 6]]);
  assert.deepEqual(Array.from(matVec(a, [1, -1])), [-1, -1, -1]);
  assert.throws(() => matVec(a, [1, 2, 3]), TypeError);
});

Deno.test("add(), sub(), scale(), trace(), norms and blocks", () => {
  const a = matrix([[1, 2], [3, 4]]);
  const b = matrix([[0, 1], [1, 0]]);
  assert.deepEqual(toArrays(add(a, b)), [[1, 3], [4, 4]]);
  assert.deepEqual(toArrays(sub(a, b)), [[1, 1], [2, 4]]);
  assert.deepEqual(toArrays(scale(a, -2)), [[-2, -4], [-6, -8]]);
  assert.throws(() => add(a, matrix([[1]])), TypeError);
  assert.equal(trace(a), 5);
  assert.throws(() => trace(matrix([[1, 2]])), TypeError);
  assert.equal(maxAbs(scale(a, -1)), 4);
  assert.equal(frobeniusNorm(a), Math.sqrt(1 + 4 + 9 + 16));
  // Permutation congruence swaps the diagonal entries.
  assert.deepEqual(toArrays(congruence(b, a)), [[4, 3], [2, 1]]);
  const blk = blockMatrix(a, b, scale(b, 2), identity(2));
  assert.deepEqual(toArrays(blk), [
    [1, 2, 0, 1],
    [3, 4, 1, 0],
    [0, 2, 1, 0],
    [2, 0, 0, 1],
  ]);
  assert.deepEqual(toArrays(subMatrix(blk, 2, 0, 2, 2)), [[0, 2], [2, 0]]);
  assert.throws(() => subMatrix(blk, 3, 0, 2, 2), RangeError);
  assert.throws(() => blockMatrix(a, matrix([[1]]), b, b), TypeError);
});
