/**
 * Data-parallel momentum SGD on Deno Workers (one tfjs wasm SIMD instance per Worker, gradients averaged in a
 * fixed order through shared memory, PyTorch's SGD update applied once), the serialisable model description the
 * Workers build from, and analytic FLOP counts of ResNet-18 training steps.
 *
 * @example Build a model from its description
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { Rng } from "../../random/rng.ts";
 * import { createModel } from "./mod.ts";
 *
 * await tf.setBackend("cpu");
 * const net = createModel({ kind: "small_cnn", inputShape: [8, 8, 1], width: 2, numClasses: 3, batchNorm: true },
 *   Rng.fromSeed(1n));
 * assert.equal(net.architecture, "small_cnn");
 * net.dispose();
 * ```
 *
 * @module
 */
export * from "./model_spec.ts";
export * from "./data_parallel_sgd.ts";
export * from "./training_flops.ts";
export * from "./parallel_hessian.ts";
