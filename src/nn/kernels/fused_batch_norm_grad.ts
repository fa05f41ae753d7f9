/**
 * Gradient of the FusedBatchNorm kernel written with broadcasting instead of `tile`, which is slow on wasm
 * (about a quarter of a ResNet training step with the stock tfjs 4.22 gradient).
 *
 * Known limitation (stock tfjs, not fixed here): `tf.batchNorm(x, mean, variance)` without scale and offset
 * crashes under a gradient tape, because the engine tries to save the missing `scale` input. Always pass both.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/** Sums `t` over the axes along which `shape` was broadcast to t's shape, then reshapes to `shape`. */
function reduceTo(t: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const axes = tf.broadcast_util.getReductionAxes([...shape], t.shape);
  const summed = axes.length > 0 ? tf.sum(t, axes) : t;
  return tf.reshape(summed, [...shape]);
}

/** Lazily computed cotangents of y = (x − μ)·(v + ε)^(−1/2)·γ + β with respect to every input. */
export interface BatchNormVjp {
  readonly x: () => tf.Tensor;
  readonly mean: () => tf.Tensor;
  readonly variance: () => tf.Tensor;
  readonly scale: () => tf.Tensor;
  readonly offset: () => tf.Tensor;
}

/**
 * Vector-Jacobian product of y = (x − μ)·r·γ + β with r = (v + ε)^(−1/2), all parameters broadcast against x:
 * dx = dy·r·γ, dμ = −Σ dy·r·γ, dv = −½ Σ dy·γ·(x − μ)·r³, dγ = Σ dy·(x − μ)·r, dβ = Σ dy
 * (sums over the broadcast axes). Same formulas as tfjs's stock gradient; differentiable again.
 * Each cotangent is a thunk, so only the needed ones are computed; but when μ, v, γ and β all have one shape
 * (per-channel BatchNorm), the two full-size sums Σ dy and Σ dy·(x − μ) are computed once, eagerly, and the
 * parameter cotangents are per-channel products of them (2 instead of 4 full-size reductions, 2 instead of 6
 * full-size products: a full-size reduction over N, H, W is slow on wasm, which transposes first).
 *
 * @param dy Cotangent of y, shape of x.
 * @param inputs x, mean μ, variance v (≥ 0), scale γ, offset β (parameters broadcastable to x).
 * @param varianceEpsilon ε (> 0).
 * @returns Five thunks, each giving a cotangent in the shape of its input.
 *
 * @example The offset cotangent is the sum of dy over the batch
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { batchNormVjp } from "./fused_batch_norm_grad.ts";
 *
 * await tf.setBackend("cpu");
 * const c = tf.tensor1d([0, 0]);
 * const g = batchNormVjp(tf.ones([3, 2]), {
 *   x: tf.zeros([3, 2]), mean: c, variance: tf.ones([2]), scale: tf.ones([2]), offset: c,
 * }, 1e-3);
 * assert.deepEqual(Array.from(g.offset().dataSync()), [3, 3]);
 * ```
 */
export function batchNormVjp(
  dy: tf.Tensor,
  inputs: {
    readonly x: tf.Tensor;
    readonly mean: tf.Tensor;
    readonly variance: tf.Tensor;
    readonly scale: tf.Tensor;
    readonly offset: tf.Tensor;
  },
  varianceEpsilon: number,
): BatchNormVjp {
  const { x, mean, variance, scale, offset } = inputs;
  const r = (): tf.Tensor => tf.rsqrt(tf.add(variance, varianceEpsilon));
  const dx = (): tf.Tensor => reduceTo(tf.mul(dy, tf.mul(scale, r())), x.shape);
  const shape = mean.shape;
  if (
    [variance, scale, offset].every((t) => tf.util.arraysEqual(t.shape, shape))
  ) {
    // Σ dy and Σ dy·(x − μ) over the broadcast axes, each in the common parameter shape. Eager, because the
    // engine runs every thunk in its own tidy scope, which would dispose a value shared lazily.
    const [sumDy, sumDyXc] = tf.tidy(() => [
      reduceTo(dy, shape),
      reduceTo(tf.mul(dy, tf.sub(x, mean)), shape),
    ]) as [tf.Tensor, tf.Tensor];
    return {
      x: dx,
      mean: () => tf.mul(sumDy, tf.neg(tf.mul(scale, r()))),
      variance: () => {
        const rr = r();
        return tf.mul(
          sumDyXc,
          tf.mul(tf.mul(scale, tf.mul(rr, tf.square(rr))), -0.5),
        );
      },
      scale: () => tf.mul(sumDyXc, r()),
      offset: () => tf.clone(sumDy),
    };
  }
  return {
    x: dx,
    mean: () => reduceTo(tf.mul(dy, tf.neg(tf.mul(scale, r()))), mean.shape),
    variance: () => {
      const rr = r();
      const coef = tf.mul(tf.mul(scale, tf.mul(rr, tf.square(rr))), -0.5);
      return reduceTo(
        tf.mul(tf.mul(dy, tf.sub(x, mean)), coef),
        variance.shape,
      );
    },
    scale: () =>
      reduceTo(tf.mul(tf.mul(dy, tf.sub(x, mean)), r()), scale.shape),
    offset: () => reduceTo(dy, offset.shape),
  };
}

/**
 * Gradient of the `FusedBatchNorm` kernel (global), via {@linkcode batchNormVjp}. Requires scale and offset
 * to be present (see the module note).
 */
export const fusedBatchNormGradient: tf.GradConfig = {
  kernelName: "FusedBatchNorm",
  inputsToSave: ["x", "mean", "variance", "scale", "offset"],
  gradFunc: (dy, saved, attrs) => {
    const [x, mean, variance, scale, offset] = saved as [
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
    ];
    const eps = (attrs as unknown as tf.FusedBatchNormAttrs).varianceEpsilon;
    return {
      ...batchNormVjp(
        dy as tf.Tensor,
        { x, mean, variance, scale, offset },
        eps,
      ),
    };
  },
};
