/**
 * Gradients of Exp, Tanh, Sigmoid and Elu that recompute the derivative from the saved input x.
 *
 * The stock tfjs 4.22 gradients use the saved output y. The engine saves a clone of y that is not connected
 * to x on the gradient tape, so differentiating the gradient again (Hessian-vector products,
 * reverse-over-reverse) silently drops the dy·d²y/dx² term. Recomputing from x keeps the graph connected.
 * First-order values are unchanged up to float32 rounding.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

function unaryGrad(
  kernelName: string,
  derivative: (x: tf.Tensor) => tf.Tensor,
): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ["x"],
    gradFunc: (dy, saved) => {
      const [x] = saved as [tf.Tensor];
      return { x: () => tf.mul(dy as tf.Tensor, derivative(x)) };
    },
  };
}

/** Gradient of `Exp`: dx = dy·exp(x). */
export const expGradient: tf.GradConfig = unaryGrad("Exp", (x) => tf.exp(x));

/** Gradient of `Tanh`: dx = dy·(1 − tanh(x)²). */
export const tanhGradient: tf.GradConfig = unaryGrad(
  "Tanh",
  (x) => tf.sub(1, tf.square(tf.tanh(x))),
);

/** Gradient of `Sigmoid`: dx = dy·σ(x)·(1 − σ(x)). */
export const sigmoidGradient: tf.GradConfig = unaryGrad("Sigmoid", (x) => {
  const s = tf.sigmoid(x);
  return tf.mul(s, tf.sub(1, s));
});

/** Gradient of `Elu` (α = 1): dx = dy for x > 0, dy·exp(x) otherwise. */
export const eluGradient: tf.GradConfig = unaryGrad(
  "Elu",
  (x) => tf.where(tf.greater(x, 0), tf.onesLike(x), tf.exp(x)),
);

/**
 * The gradient configs of this file, for registration.
 *
 * @returns [Exp, Tanh, Sigmoid, Elu] gradient configs.
 *
 * @example Second derivative of exp at 0 is 1
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { unaryGradients } from "./unary_grads.ts";
 *
 * await tf.setBackend("cpu");
 * for (const g of unaryGradients()) tf.registerGradient(g);
 * const d2 = tf.grad((x: tf.Tensor) => tf.sum(tf.grad((y: tf.Tensor) => tf.sum(tf.exp(y)))(x)))(tf.scalar(0));
 * assert.ok(Math.abs(d2.dataSync()[0]! - 1) < 1e-6);
 * ```
 */
export function unaryGradients(): readonly tf.GradConfig[] {
  return [expGradient, tanhGradient, sigmoidGradient, eluGradient];
}
