import assert from "node:assert/strict";
import {
  tfConvToTorch,
  tfDenseToTorch,
  torchConvToTf,
  torchDenseToTf,
  transposeND,
} from "../../src/formats/layout.ts";
import type { TensorOf } from "../../src/formats/tensor.ts";
import { Rng } from "../../src/random/rng.ts";

/** Row-major flat index of a multi-index. */
function ravel(index: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let k = 0; k < shape.length; k++) flat = flat * shape[k]! + index[k]!;
  return flat;
}

/** Multi-index of a row-major flat index. */
function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    index[k] = flat % shape[k]!;
    flat = Math.floor(flat / shape[k]!);
  }
  return index;
}

function randomPerm(rng: Rng, n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

Deno.test("transposeND() matches the definition out[i] = in[i∘perm⁻¹] on random shapes and perms", () => {
  const rng = Rng.fromSeed(7n);
  for (let trial = 0; trial < 200; trial++) {
    const rank = 1 + rng.int(5);
    const shape = Array.from({ length: rank }, () => 1 + rng.int(4));
    const perm = randomPerm(rng, rank);
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float64Array(n).map(() => rng.normal());
    const t = transposeND(data, shape, perm);
    assert.deepEqual(t.shape, perm.map((p) => shape[p]));
    for (let i = 0; i < n; i++) {
      const outIndex = unravel(i, t.shape);
      const inIndex = new Array<number>(rank);
      perm.forEach((p, j) => (inIndex[p] = outIndex[j]!));
      assert.equal(t.data[i], data[ravel(inIndex, shape)]);
    }
    // Applying the inverse permutation restores the input.
    const inverse = new Array<number>(rank);
    perm.forEach((p, j) => (inverse[p] = j));
    assert.deepEqual(transposeND(t.data, t.shape, inverse).data, data);
  }
});

Deno.test("transposeND() keeps the typed array class, including BigInt64Array", () => {
  const t = transposeND(new BigInt64Array([1n, 2n, 3n, 4n, 5n, 6n]), [3, 2], [
    1,
    0,
  ]);
  assert.ok(t.data instanceof BigInt64Array);
  assert.deepEqual(Array.from(t.data), [1n, 3n, 5n, 2n, 4n, 6n]);
  assert.ok(
    transposeND(new Uint16Array(4), [2, 2], [1, 0]).data instanceof Uint16Array,
  );
});

Deno.test("transposeND() handles scalars and empty dimensions", () => {
  assert.deepEqual(
    transposeND(new Float32Array([5]), [], []).data,
    new Float32Array([5]),
  );
  const e = transposeND(new Float32Array(0), [2, 0, 3], [2, 1, 0]);
  assert.deepEqual(e.shape, [3, 0, 2]);
  assert.equal(e.data.length, 0);
});

Deno.test("transposeND() throws TypeError for a bad perm or a length mismatch", () => {
  const d = new Float32Array(6);
  assert.throws(() => transposeND(d, [2, 3], [0, 0]), TypeError);
  assert.throws(() => transposeND(d, [2, 3], [0]), TypeError);
  assert.throws(() => transposeND(d, [2, 3], [0, 2]), TypeError);
  assert.throws(() => transposeND(d, [2, 3], [0.5, 1]), TypeError);
  assert.throws(
    () => transposeND(d, [2, 2], [1, 0]),
    /Cannot transpose as data length does not match shape: shape \[2, 2\], data length 6/,
  );
  assert.throws(() => transposeND(d, [-2, -3], [1, 0]), TypeError);
});

Deno.test("torchConvToTf() puts torch w[o][i][y][x] at tfjs k[y][x][i][o], and tfConvToTorch() inverts it", () => {
  const [out, inp, kh, kw] = [4, 3, 2, 5];
  const w = new Float32Array(out * inp * kh * kw);
  const rng = Rng.fromSeed(11n);
  w.forEach((_, i) => (w[i] = rng.normal()));
  const torch: TensorOf<"F32"> = {
    dtype: "F32",
    shape: [out, inp, kh, kw],
    data: w,
  };
  const tf = torchConvToTf(torch);
  assert.equal(tf.dtype, "F32");
  assert.deepEqual(tf.shape, [kh, kw, inp, out]);
  for (let o = 0; o < out; o++) {
    for (let i = 0; i < inp; i++) {
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) {
          const tIndex = ((o * inp + i) * kh + y) * kw + x;
          const kIndex = ((y * kw + x) * inp + i) * out + o;
          assert.equal(tf.data[kIndex], w[tIndex]);
        }
      }
    }
  }
  assert.deepEqual(tfConvToTorch(tf), torch);
});

Deno.test("torchDenseToTf() puts torch w[o][i] at tfjs k[i][o], and tfDenseToTorch() inverts it", () => {
  const w = new Float64Array([1, 2, 3, 4, 5, 6]); // torch [out=2, in=3]
  const k = torchDenseToTf({ dtype: "F64", shape: [2, 3], data: w });
  assert.deepEqual(k.shape, [3, 2]);
  for (let o = 0; o < 2; o++) {
    for (let i = 0; i < 3; i++) assert.equal(k.data[i * 2 + o], w[o * 3 + i]);
  }
  assert.deepEqual(tfDenseToTorch(k), { dtype: "F64", shape: [2, 3], data: w });
});

Deno.test("layout converters throw TypeError for the wrong rank", () => {
  const t = { dtype: "F32" as const, shape: [2, 3], data: new Float32Array(6) };
  assert.throws(
    () => torchConvToTf(t),
    /Cannot convert a PyTorch conv weight to tfjs as the weight must have rank 4: shape \[2, 3\]/,
  );
  assert.throws(() => tfConvToTorch(t), TypeError);
  const c = {
    dtype: "F32" as const,
    shape: [1, 1, 1, 1],
    data: new Float32Array(1),
  };
  assert.throws(() => torchDenseToTf(c), TypeError);
  assert.throws(() => tfDenseToTorch(c), TypeError);
});
