/**
 * Flattening a parameter map into one vector θ ∈ ℝ^d (for distances ‖θ_k − θ_0‖², speeds η²‖b‖², projections)
 * and writing such a vector back.
 *
 * Order: the map's iteration order — for a {@linkcode Network} that is PyTorch's `named_parameters()` order
 * (torchvision registration order, not sorted) — and within each tensor its row-major order in the layout it
 * is stored in (tfjs layout: conv `[kh, kw, in, out]`, dense `[in, out]`). Norms and distances do not depend
 * on the order; element-wise comparison with a PyTorch vector needs the layout conversion of `src/formats/`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/**
 * Concatenates the tensors of a map, in iteration order, into one `Float32Array`.
 *
 * @param tensors Tensors by name (e.g. `net.params` or `sgd.buffers`); float32.
 * @returns θ, of length Σ sizes.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { flattenParams } from "./flatten_params.ts";
 *
 * await tf.setBackend("cpu");
 * const m = new Map<string, tf.Tensor>([["a", tf.tensor2d([[1, 2], [3, 4]])], ["b", tf.tensor1d([5])]]);
 * assert.deepEqual(Array.from(flattenParams(m)), [1, 2, 3, 4, 5]);
 * tf.dispose([...m.values()]);
 * ```
 */
export function flattenParams(
  tensors: ReadonlyMap<string, tf.Tensor>,
): Float32Array {
  let n = 0;
  for (const t of tensors.values()) n += t.size;
  const out = new Float32Array(n);
  let offset = 0;
  for (const t of tensors.values()) {
    out.set(t.dataSync() as Float32Array, offset);
    offset += t.size;
  }
  return out;
}

/**
 * Writes a flat vector back into a map of variables (the inverse of {@linkcode flattenParams}).
 *
 * @param flat θ, of length Σ sizes, in the order of {@linkcode flattenParams}.
 * @param variables Variables by name; each is assigned its slice.
 * @throws {TypeError} When the length does not match the total size.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { unflattenParams } from "./flatten_params.ts";
 *
 * await tf.setBackend("cpu");
 * const m = new Map([["a", tf.variable(tf.zeros([2]))], ["b", tf.variable(tf.zeros([1]))]]);
 * unflattenParams(new Float32Array([7, 8, 9]), m);
 * assert.deepEqual(Array.from(m.get("b")!.dataSync()), [9]);
 * tf.dispose([...m.values()]);
 * ```
 */
export function unflattenParams(
  flat: Float32Array,
  variables: ReadonlyMap<string, tf.Variable>,
): void {
  let n = 0;
  for (const v of variables.values()) n += v.size;
  if (flat.length !== n) {
    throw new TypeError(
      `Cannot unflatten parameters as the vector has length ${flat.length}, expected ${n}`,
    );
  }
  let offset = 0;
  for (const v of variables.values()) {
    const t = tf.tensor(
      flat.subarray(offset, offset + v.size),
      v.shape,
      "float32",
    );
    v.assign(t);
    t.dispose();
    offset += v.size;
  }
}
