/**
 * Networks as plain functions over `Map`s of `tf.Variable`s with PyTorch (torchvision) state-dict names:
 * ResNet-18 at any width with an ImageNet or small-image stem, a small CNN, and an MLP. BatchNorm runs in
 * training mode (batch statistics, PyTorch running-statistic update) or evaluation mode (running statistics).
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { Rng } from "../../random/rng.ts";
 * import { createResNet18 } from "./mod.ts";
 *
 * await tf.setBackend("cpu");
 * const net = createResNet18({ width: 2, inChannels: 1, imageSize: 8 }, Rng.fromSeed(3n));
 * const logits = tf.tidy(() => net.forward(tf.ones([2, 8, 8, 1]), { training: true }));
 * assert.deepEqual(logits.shape, [2, 10]);
 * assert.equal(net.counters.get("bn1.num_batches_tracked"), 1);
 * logits.dispose();
 * net.dispose();
 * ```
 *
 * @module
 */
export * from "./network.ts";
export * from "./resnet18.ts";
export * from "./small_cnn.ts";
export * from "./mlp.ts";
