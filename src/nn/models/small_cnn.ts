/**
 * A small two-conv network with PyTorch names for quick runs.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../../random/rng.ts";
import {
  checkPositiveInt,
  conv,
  dense,
  flattenTorchOrder,
  StateBuilder,
} from "./_layers.ts";
import { Network } from "./network.ts";

/** Options of {@linkcode createSmallCnn}. */
export interface SmallCnnOptions {
  /**
   * Input `[H, W, C]`; H and W must be divisible by 4.
   *
   * @default {[28, 28, 1]}
   */
  readonly inputShape?: readonly [number, number, number];
  /**
   * Channels of `conv1`; `conv2` has twice as many.
   *
   * @default {8}
   */
  readonly width?: number;
  /**
   * Number of classes K.
   *
   * @default {10}
   */
  readonly numClasses?: number;
  /**
   * Put a BatchNorm (`bn1`, `bn2`) after each conv, as in `conv → bn → relu`.
   *
   * @default {false}
   */
  readonly batchNorm?: boolean;
}

/**
 * Builds a small CNN: `conv1` (3×3, padding 1) → [`bn1`] → ReLU → 2×2 max-pool → `conv2` (3×3, padding 1,
 * 2·width channels) → [`bn2`] → ReLU → 2×2 max-pool → flatten in PyTorch's (C, H, W) order → `fc`. PyTorch
 * default initialisation (U(±1/√fan_in) for conv and linear weights and biases; convs have a bias only
 * without BatchNorm).
 *
 * @param options Input shape, width, classes and BatchNorm; see {@linkcode SmallCnnOptions}.
 * @param rng Source of the initial weights.
 * @returns The network.
 * @throws {RangeError} When a size is not a positive integer or H, W are not divisible by 4.
 *
 * @example Forward shape on MNIST-sized input
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { Rng } from "../../random/rng.ts";
 * import { createSmallCnn } from "./small_cnn.ts";
 *
 * await tf.setBackend("cpu");
 * const net = createSmallCnn({ width: 4 }, Rng.fromSeed(1n));
 * const logits = tf.tidy(() => net.forward(tf.zeros([3, 28, 28, 1]), { training: false }));
 * assert.deepEqual(logits.shape, [3, 10]);
 * logits.dispose();
 * net.dispose();
 * ```
 */
export function createSmallCnn(options: SmallCnnOptions, rng: Rng): Network {
  const [h, w, c] = options.inputShape ?? [28, 28, 1];
  const width = options.width ?? 8;
  const numClasses = options.numClasses ?? 10;
  const useBn = options.batchNorm ?? false;
  const what = "a small CNN";
  checkPositiveInt(what, "height", h);
  checkPositiveInt(what, "width of the input", w);
  checkPositiveInt(what, "channels", c);
  checkPositiveInt(what, "width", width);
  checkPositiveInt(what, "numClasses", numClasses);
  if (h % 4 !== 0 || w % 4 !== 0) {
    throw new RangeError(
      `Cannot create a small CNN as the input height and width must be divisible by 4: [${h}, ${w}]`,
    );
  }
  const b = new StateBuilder(rng);
  const layer = (name: string, cin: number, cout: number, bn: string) => {
    // nn.Conv2d(bias=False) before a BatchNorm, as torchvision does.
    b.convDefault(name, 3, cin, cout, !useBn);
    if (useBn) b.batchNorm(bn, cout);
  };
  layer("conv1", c, width, "bn1");
  layer("conv2", width, 2 * width, "bn2");
  b.linearDefault("fc", 2 * width * (h / 4) * (w / 4), numClasses);
  return new Network({
    architecture: "small_cnn",
    config: { inputShape: [h, w, c], width, numClasses, batchNorm: useBn },
    inputShape: [h, w, c],
    numClasses,
    entries: b.entries,
    initial: b.initial,
    forward: (ctx, x) => {
      let y = x as tf.Tensor4D;
      for (const [name, bn] of [["conv1", "bn1"], ["conv2", "bn2"]] as const) {
        y = conv(y, ctx.param(`${name}.weight`), 1, 1);
        y = useBn ? ctx.batchNorm(bn, y) : tf.add(y, ctx.param(`${name}.bias`));
        y = tf.maxPool(tf.relu(y), 2, 2, 0);
      }
      return dense(
        flattenTorchOrder(y),
        ctx.param("fc.weight"),
        ctx.param("fc.bias"),
      );
    },
  });
}
