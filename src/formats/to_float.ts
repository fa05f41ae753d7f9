/**
 * Conversion of any {@linkcode Tensor} to floating-point arrays for numeric work.
 *
 * @module
 */
import { fromBfloat16Bits, fromFloat16Bits } from "./half.ts";
import type { Tensor } from "./tensor.ts";

/**
 * Converts a tensor's elements to a new `Float32Array`.
 *
 * Exact for `F16`, `BF16`, `F32`, `BOOL` and integer types whose values fit in 24 bits; `F64` and wider
 * integers are rounded to the nearest float32 (ties to even).
 *
 * @param tensor Any tensor, e.g. from {@linkcode readSafetensors} or {@linkcode readNpy}.
 * @returns A new array (never aliasing `tensor.data`) of the same length.
 *
 * @example Usage
 * ```ts
 * import { tensorToFloat32 } from "./to_float.ts";
 * import assert from "node:assert/strict";
 *
 * const x = tensorToFloat32({ dtype: "BF16", shape: [2], data: new Uint16Array([0x3f80, 0xc000]) });
 * assert.deepEqual(Array.from(x), [1, -2]);
 * ```
 */
export function tensorToFloat32(tensor: Tensor): Float32Array {
  switch (tensor.dtype) {
    case "F16":
      return fromFloat16Bits(tensor.data);
    case "BF16":
      return fromBfloat16Bits(tensor.data);
    case "I64":
    case "U64": {
      const d = tensor.data;
      const out = new Float32Array(d.length);
      for (let i = 0; i < d.length; i++) out[i] = Number(d[i]!);
      return out;
    }
    default:
      return Float32Array.from(tensor.data);
  }
}

/**
 * Converts a tensor's elements to a new `Float64Array`.
 *
 * Exact for every dtype except `I64`/`U64` values beyond ±2^53, which are rounded to the nearest double.
 *
 * @param tensor Any tensor.
 * @returns A new array (never aliasing `tensor.data`) of the same length.
 *
 * @example Usage
 * ```ts
 * import { tensorToFloat64 } from "./to_float.ts";
 * import assert from "node:assert/strict";
 *
 * const x = tensorToFloat64({ dtype: "I64", shape: [], data: new BigInt64Array([-7n]) });
 * assert.deepEqual(Array.from(x), [-7]);
 * ```
 */
export function tensorToFloat64(tensor: Tensor): Float64Array {
  switch (tensor.dtype) {
    case "F16":
      return Float64Array.from(fromFloat16Bits(tensor.data));
    case "BF16":
      return Float64Array.from(fromBfloat16Bits(tensor.data));
    case "I64":
    case "U64": {
      const d = tensor.data;
      const out = new Float64Array(d.length);
      for (let i = 0; i < d.length; i++) out[i] = Number(d[i]!);
      return out;
    }
    default:
      return Float64Array.from(tensor.data);
  }
}
