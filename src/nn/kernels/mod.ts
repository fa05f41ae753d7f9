/**
 * Repaired TensorFlow.js 4.22 kernels and gradients: conv nets train on the wasm backend, and
 * Hessian-vector products (reverse-over-reverse) are correct. Call {@linkcode registerRepairedKernels} once at
 * start-up (before training), write softmax cross-entropy with {@linkcode crossEntropyFromLogits}, and
 * compute H·v with {@linkcode hvp}.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { crossEntropyFromLogits, hvp, registerRepairedKernels } from "./mod.ts";
 *
 * registerRepairedKernels();
 * await tf.setBackend("cpu");
 * const labels = tf.tensor2d([[1, 0]]);
 * const z = tf.tensor2d([[0, 0]]);
 * // L(z) = log(1 + e^{z1−z0}); its Hessian at 0 is ¼·[[1, −1], [−1, 1]].
 * const [hv] = hvp((p) => crossEntropyFromLogits(p[0]!, labels), [z], [tf.tensor2d([[1, 0]])]);
 * const got = Array.from(hv!.dataSync());
 * assert.ok(Math.abs(got[0]! - 0.25) < 1e-6 && Math.abs(got[1]! + 0.25) < 1e-6);
 * ```
 *
 * @module
 */
export * from "./register_repaired_kernels.ts";
export * from "./cross_entropy_from_logits.ts";
export * from "./hvp.ts";
