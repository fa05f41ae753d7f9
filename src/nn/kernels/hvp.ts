/**
 * Hessian-vector products by reverse-over-reverse autodiff in tfjs (forward mode is not available).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/**
 * Hessian-vector product H·v = ∇_θ ⟨∇_θ L(θ), v⟩ by differentiating the gradient a second time
 * (reverse-over-reverse). Correct only for ops whose gradients are themselves differentiable: call
 * `registerRepairedKernels()` first and write cross-entropy with `crossEntropyFromLogits`. Float32 through
 * tfjs. All intermediate tensors are released; the caller owns (and must dispose) the returned tensors.
 *
 * @param lossFn L(θ): receives the parameter tensors (the same objects as `params`, so it may also close
 *   over them) and returns a scalar.
 * @param params θ, a non-empty list of float32 tensors (or `tf.Variable`s).
 * @param vector v, one tensor per parameter with the same shape.
 * @returns H·v as one tensor per parameter, in the shapes of `params`.
 * @throws {TypeError} When `params` is empty or `vector` does not match `params` in length or shapes.
 *
 * @example H·v of L = ½·Σ a·θ² is a·v
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { hvp } from "./hvp.ts";
 *
 * await tf.setBackend("cpu");
 * const a = tf.tensor1d([1, 2, 3]);
 * const theta = tf.tensor1d([0.5, -1, 2]);
 * const [hv] = hvp((p) => tf.mul(0.5, tf.sum(tf.mul(a, tf.square(p[0]!)))), [theta], [tf.ones([3])]);
 * assert.deepEqual(Array.from(hv!.dataSync()), [1, 2, 3]);
 * ```
 */
export function hvp(
  lossFn: (params: readonly tf.Tensor[]) => tf.Scalar,
  params: readonly tf.Tensor[],
  vector: readonly tf.Tensor[],
): tf.Tensor[] {
  if (params.length === 0) {
    throw new TypeError("Cannot compute an HVP as params is empty");
  }
  if (vector.length !== params.length) {
    throw new TypeError(
      `Cannot compute an HVP as vector has ${vector.length} tensors, expected ${params.length}`,
    );
  }
  params.forEach((p, i) => {
    const v = vector[i]!;
    if (p.shape.join(",") !== v.shape.join(",")) {
      throw new TypeError(
        `Cannot compute an HVP as vector[${i}] has shape [${v.shape}], expected [${p.shape}]`,
      );
    }
  });
  return tf.tidy(() => {
    const gradDotV = (...ps: tf.Tensor[]): tf.Scalar => {
      const g = tf.grads((...qs: tf.Tensor[]) => lossFn(qs))(ps);
      return tf.addN(
        g.map((gi, i) => tf.sum(tf.mul(gi, vector[i]!))),
      ) as tf.Scalar;
    };
    return tf.grads(gradDotV)([...params]);
  });
}
