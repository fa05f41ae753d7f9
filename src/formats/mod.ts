/**
 * Byte-level readers and writers for checkpoints and datasets — safetensors, NumPy `.npy`/`.npz`, IDX
 * (MNIST, optionally gzipped) — plus PyTorch ↔ tfjs weight layout conversion and 16-bit float conversion.
 * Pure TypeScript on `Uint8Array`: no file access, no tfjs. Every reader validates untrusted input completely
 * and throws `SyntaxError` (malformed) or `RangeError` (out of bounds) with a message naming what failed.
 *
 * @example Usage
 * ```ts
 * import { readSafetensors, tensorToFloat32, torchDenseToTf, writeSafetensors } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * // A PyTorch-style dense weight [out=2, in=3] stored as F16, read back and converted to tfjs [in, out].
 * const bytes = writeSafetensors({
 *   "fc.weight": { dtype: "F16", shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) },
 * });
 * const w = readSafetensors(bytes).tensors.get("fc.weight")!;
 * const k = torchDenseToTf({ dtype: "F32", shape: w.shape, data: tensorToFloat32(w) });
 * assert.deepEqual(k.shape, [3, 2]);
 * assert.deepEqual(Array.from(k.data), [1, 4, 2, 5, 3, 6]);
 * ```
 *
 * @module
 */
export * from "./tensor.ts";
export * from "./half.ts";
export * from "./to_float.ts";
export * from "./assert_finite.ts";
export * from "./layout.ts";
export * from "./safetensors.ts";
export * from "./npy.ts";
export * from "./npz.ts";
export * from "./gzip.ts";
export * from "./idx.ts";
