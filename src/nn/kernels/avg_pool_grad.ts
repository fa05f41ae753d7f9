/**
 * Gradient of the AvgPoolGrad kernel (tfjs 4.22 has none), for Hessian-vector products through
 * `tf.avgPool`. AvgPoolGrad is the adjoint Aᵀ of the linear map A = avgPool, so its own gradient with
 * respect to dy is A itself; the input x only supplies a shape, so its gradient is zero.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/**
 * Gradient of the `AvgPoolGrad` kernel (global): ddy = avgPool(ddx), dx = 0.
 *
 * @example Makes the second derivative through avgPool computable (it is zero: avgPool is linear)
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { avgPoolGradGradient } from "./avg_pool_grad.ts";
 *
 * await tf.setBackend("cpu");
 * tf.registerGradient(avgPoolGradGradient);
 * const f = (x: tf.Tensor) =>
 *   tf.sum(tf.square(tf.grad((y: tf.Tensor) => tf.sum(tf.avgPool(y as tf.Tensor4D, 2, 2, "valid")))(x)));
 * const x = tf.ones([1, 2, 2, 1]);
 * assert.deepEqual(Array.from(tf.grad(f)(x).dataSync()), [0, 0, 0, 0]);
 * ```
 */
export const avgPoolGradGradient: tf.GradConfig = {
  kernelName: "AvgPoolGrad",
  inputsToSave: ["input"],
  gradFunc: (ddx, saved, attrs) => {
    const [x] = saved as [tf.Tensor4D];
    const a = attrs as unknown as tf.AvgPoolGradAttrs;
    return {
      dy: () =>
        tf.avgPool(
          ddx as tf.Tensor4D,
          a.filterSize,
          a.strides,
          a.pad as "same" | "valid" | number,
        ),
      input: () => tf.zerosLike(x),
    };
  },
};
