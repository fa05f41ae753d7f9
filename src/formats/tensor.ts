/**
 * Element types and the plain tensor record shared by every reader and writer in `src/formats/`.
 *
 * @module
 */

/**
 * Element type of a tensor, named as in safetensors. `F16` and `BF16` are carried as raw 16-bit patterns in a
 * `Uint16Array` (lossless); convert them with {@linkcode fromFloat16Bits} / {@linkcode fromBfloat16Bits} or
 * {@linkcode tensorToFloat32}. `BOOL` is one byte per element (0 or 1).
 */
export type DType =
  | "BOOL"
  | "U8"
  | "I8"
  | "I16"
  | "U16"
  | "I32"
  | "U32"
  | "F16"
  | "BF16"
  | "F32"
  | "F64"
  | "I64"
  | "U64";

/** The typed array that holds the elements of each {@linkcode DType}. */
export interface DTypeDataMap {
  /** Booleans, one byte each (0 or 1). */
  BOOL: Uint8Array;
  /** Unsigned 8-bit integers. */
  U8: Uint8Array;
  /** Signed 8-bit integers. */
  I8: Int8Array;
  /** Signed 16-bit integers. */
  I16: Int16Array;
  /** Unsigned 16-bit integers. */
  U16: Uint16Array;
  /** Signed 32-bit integers. */
  I32: Int32Array;
  /** Unsigned 32-bit integers. */
  U32: Uint32Array;
  /** IEEE 754 binary16, as raw bit patterns. */
  F16: Uint16Array;
  /** bfloat16 (the top 16 bits of a binary32), as raw bit patterns. */
  BF16: Uint16Array;
  /** IEEE 754 binary32. */
  F32: Float32Array;
  /** IEEE 754 binary64. */
  F64: Float64Array;
  /** Signed 64-bit integers. */
  I64: BigInt64Array;
  /** Unsigned 64-bit integers. */
  U64: BigUint64Array;
}

/** Any typed array that can hold tensor elements. */
export type TensorData = DTypeDataMap[DType];

/** A tensor of one given element type: row-major (C order) `data` of length `shape[0]·shape[1]·…`. */
export interface TensorOf<D extends DType> {
  /** Element type. */
  readonly dtype: D;
  /** Dimensions, outermost first; `[]` is a scalar (one element). */
  readonly shape: readonly number[];
  /** Elements in row-major order. */
  readonly data: DTypeDataMap[D];
}

/** A tensor of any element type; narrow on `dtype` to get the typed `data`. */
export type Tensor = { [D in DType]: TensorOf<D> }[DType];

/** Bytes per element of each {@linkcode DType}. */
export const DTYPE_ITEM_SIZE: Readonly<Record<DType, number>> = Object.freeze({
  BOOL: 1,
  U8: 1,
  I8: 1,
  I16: 2,
  U16: 2,
  I32: 4,
  U32: 4,
  F16: 2,
  BF16: 2,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
});

/**
 * Tells whether a string names a supported {@linkcode DType}.
 *
 * @param name A candidate dtype name, e.g. from a file header.
 * @returns `true` if `name` is a key of {@linkcode DTYPE_ITEM_SIZE}.
 *
 * @example Usage
 * ```ts
 * import { isDType } from "./tensor.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isDType("BF16"), true);
 * assert.equal(isDType("F8_E4M3"), false);
 * assert.equal(isDType("toString"), false);
 * ```
 */
export function isDType(name: string): name is DType {
  return Object.hasOwn(DTYPE_ITEM_SIZE, name);
}

/**
 * Number of elements of a shape, or `null` when a dimension is not a non-negative safe integer or the product
 * is not a safe integer (so that no size computation can silently overflow).
 *
 * @param shape Dimensions.
 * @returns The product of the dimensions (1 for `[]`), or `null`.
 *
 * @example Usage
 * ```ts
 * import { shapeSize } from "./tensor.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(shapeSize([2, 3, 4]), 24);
 * assert.equal(shapeSize([]), 1);
 * assert.equal(shapeSize([2 ** 30, 2 ** 30, 2 ** 30]), null);
 * assert.equal(shapeSize([-1]), null);
 * ```
 */
export function shapeSize(shape: readonly unknown[]): number | null {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) {
      return null;
    }
    n *= d;
    if (!Number.isSafeInteger(n)) return null;
  }
  return n;
}
