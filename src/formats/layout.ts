/**
 * Axis permutations of row-major tensors, and the PyTorch ↔ tfjs weight layout conversions built on them.
 *
 * PyTorch stores conv weights as `[out, in, kh, kw]` and dense (linear) weights as `[out, in]`; tfjs stores
 * conv kernels as `[kh, kw, in, out]` and dense kernels as `[in, out]`.
 *
 * @module
 */
import { formatShape } from "./_bytes.ts";
import { shapeSize, type Tensor, type TensorData } from "./tensor.ts";

/**
 * Permutes the axes of a row-major array: output axis `j` is input axis `perm[j]`, so the output shape is
 * `perm.map((p) => shape[p])` (NumPy's `np.transpose(x, perm)` followed by a C-order copy).
 *
 * @typeParam T Typed array type, kept for the result.
 * @param data Elements in row-major order, length `shape[0]·…·shape[n−1]`.
 * @param shape Input dimensions (non-negative integers).
 * @param perm A permutation of `0 … shape.length − 1`.
 * @returns The permuted elements (a new array of the same type) and the output shape.
 * @throws {TypeError} When `data.length` does not match `shape`, or `perm` is not a permutation of the axes.
 *
 * @example Usage
 * ```ts
 * import { transposeND } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * // [[1, 2, 3], [4, 5, 6]] transposed is [[1, 4], [2, 5], [3, 6]]
 * const t = transposeND(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0]);
 * assert.deepEqual(t.shape, [3, 2]);
 * assert.deepEqual(Array.from(t.data), [1, 4, 2, 5, 3, 6]);
 * ```
 */
export function transposeND<T extends TensorData>(
  data: T,
  shape: readonly number[],
  perm: readonly number[],
): { data: T; shape: number[] } {
  const n = shapeSize(shape);
  if (n === null || n !== data.length) {
    throw new TypeError(
      `Cannot transpose as data length does not match shape: shape ${
        formatShape(shape)
      }, data length ${data.length}`,
    );
  }
  const rank = shape.length;
  const seen = new Array<boolean>(rank).fill(false);
  if (perm.length !== rank) {
    throw new TypeError(
      `Cannot transpose as perm is not a permutation of the ${rank} axes: perm ${
        formatShape(perm)
      }`,
    );
  }
  for (const p of perm) {
    if (!Number.isInteger(p) || p < 0 || p >= rank || seen[p]) {
      throw new TypeError(
        `Cannot transpose as perm is not a permutation of the ${rank} axes: perm ${
          formatShape(perm)
        }`,
      );
    }
    seen[p] = true;
  }
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let k = rank - 1; k >= 0; k--) {
    inStrides[k] = s;
    s *= shape[k]!;
  }
  const outShape = perm.map((p) => shape[p]!);
  const strides = perm.map((p) => inStrides[p]!);
  const ctor = data.constructor as new (n: number) => T;
  const out = new ctor(n);
  const src = data as unknown as { [i: number]: number | bigint };
  const dst = out as unknown as { [i: number]: number | bigint };
  if (n === 0) return { data: out, shape: outShape };
  const counter = new Array<number>(rank).fill(0);
  let from = 0;
  for (let i = 0; i < n; i++) {
    dst[i] = src[from]!;
    // Advance the odometer over output axes, last axis fastest.
    for (let k = rank - 1; k >= 0; k--) {
      counter[k]!++;
      from += strides[k]!;
      if (counter[k]! < outShape[k]!) break;
      from -= strides[k]! * outShape[k]!;
      counter[k] = 0;
    }
  }
  return { data: out, shape: outShape };
}

function permuteTensor<T extends Tensor>(
  action: string,
  tensor: T,
  rank: number,
  perm: readonly number[],
): T {
  if (tensor.shape.length !== rank) {
    throw new TypeError(
      `Cannot convert ${action} as the weight must have rank ${rank}: shape ${
        formatShape(tensor.shape)
      }`,
    );
  }
  const t = transposeND(tensor.data, tensor.shape, perm);
  return { dtype: tensor.dtype, shape: t.shape, data: t.data } as unknown as T;
}

/**
 * Converts a PyTorch conv weight `[out, in, kh, kw]` to a tfjs conv2d kernel `[kh, kw, in, out]`.
 *
 * @param tensor The PyTorch weight (any dtype).
 * @returns A new tensor with the same dtype in tfjs layout.
 * @throws {TypeError} When the weight is not rank 4 or its data length does not match its shape.
 *
 * @example Usage
 * ```ts
 * import { torchConvToTf } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * // out=2, in=1, kh=1, kw=2: torch w[o][0][0][x] = 10·o + x
 * const w = { dtype: "F32" as const, shape: [2, 1, 1, 2], data: new Float32Array([0, 1, 10, 11]) };
 * const k = torchConvToTf(w);
 * assert.deepEqual(k.shape, [1, 2, 1, 2]); // k[0][x][0][o] = 10·o + x
 * assert.deepEqual(Array.from(k.data), [0, 10, 1, 11]);
 * ```
 */
export function torchConvToTf<T extends Tensor>(tensor: T): T {
  return permuteTensor("a PyTorch conv weight to tfjs", tensor, 4, [
    2,
    3,
    1,
    0,
  ]);
}

/**
 * Converts a tfjs conv2d kernel `[kh, kw, in, out]` to a PyTorch conv weight `[out, in, kh, kw]`; the inverse
 * of {@linkcode torchConvToTf}.
 *
 * @param tensor The tfjs kernel (any dtype).
 * @returns A new tensor with the same dtype in PyTorch layout.
 * @throws {TypeError} When the kernel is not rank 4 or its data length does not match its shape.
 *
 * @example Usage
 * ```ts
 * import { tfConvToTorch } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * const k = { dtype: "F32" as const, shape: [1, 2, 1, 2], data: new Float32Array([0, 10, 1, 11]) };
 * const w = tfConvToTorch(k);
 * assert.deepEqual(w.shape, [2, 1, 1, 2]);
 * assert.deepEqual(Array.from(w.data), [0, 1, 10, 11]);
 * ```
 */
export function tfConvToTorch<T extends Tensor>(tensor: T): T {
  return permuteTensor("a tfjs conv kernel to PyTorch", tensor, 4, [
    3,
    2,
    0,
    1,
  ]);
}

/**
 * Converts a PyTorch dense (linear) weight `[out, in]` to a tfjs dense kernel `[in, out]`.
 *
 * @param tensor The PyTorch weight (any dtype).
 * @returns A new tensor with the same dtype in tfjs layout.
 * @throws {TypeError} When the weight is not rank 2 or its data length does not match its shape.
 *
 * @example Usage
 * ```ts
 * import { torchDenseToTf } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * const w = { dtype: "F64" as const, shape: [2, 3], data: new Float64Array([1, 2, 3, 4, 5, 6]) };
 * const k = torchDenseToTf(w);
 * assert.deepEqual(k.shape, [3, 2]);
 * assert.deepEqual(Array.from(k.data), [1, 4, 2, 5, 3, 6]);
 * ```
 */
export function torchDenseToTf<T extends Tensor>(tensor: T): T {
  return permuteTensor("a PyTorch dense weight to tfjs", tensor, 2, [1, 0]);
}

/**
 * Converts a tfjs dense kernel `[in, out]` to a PyTorch dense weight `[out, in]`; the inverse of
 * {@linkcode torchDenseToTf}.
 *
 * @param tensor The tfjs kernel (any dtype).
 * @returns A new tensor with the same dtype in PyTorch layout.
 * @throws {TypeError} When the kernel is not rank 2 or its data length does not match its shape.
 *
 * @example Usage
 * ```ts
 * import { tfDenseToTorch } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * const k = { dtype: "F64" as const, shape: [3, 2], data: new Float64Array([1, 4, 2, 5, 3, 6]) };
 * assert.deepEqual(Array.from(tfDenseToTorch(k).data), [1, 2, 3, 4, 5, 6]);
 * ```
 */
export function tfDenseToTorch<T extends Tensor>(tensor: T): T {
  return permuteTensor("a tfjs dense kernel to PyTorch", tensor, 2, [1, 0]);
}
