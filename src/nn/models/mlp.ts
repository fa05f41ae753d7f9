/**
 * A multilayer perceptron with PyTorch names (`fc1`, `fc2`, …) for quick runs.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../../random/rng.ts";
import {
  checkPositiveInt,
  dense,
  flattenTorchOrder,
  StateBuilder,
} from "./_layers.ts";
import { Network } from "./network.ts";

/** Options of {@linkcode createMlp}. */
export interface MlpOptions {
  /**
   * Shape of one input example in tfjs layout (`[H, W, C]` images are flattened in PyTorch's C, H, W order,
   * as `nn.Flatten` on NCHW does), e.g. `[28, 28, 1]` or `[784]`.
   */
  readonly inputShape: readonly number[];
  /**
   * Widths of the hidden layers, each followed by ReLU; `[]` gives multinomial logistic regression.
   *
   * @default {[128]}
   */
  readonly hidden?: readonly number[];
  /**
   * Number of classes K.
   *
   * @default {10}
   */
  readonly numClasses?: number;
}

/**
 * Builds an MLP: flatten, then `fc1 … fc{L+1}` (`nn.Linear` each, PyTorch default init U(±1/√fan_in)) with
 * ReLU between them. State names are `fc{i}.weight` (tfjs layout [in, out]) and `fc{i}.bias`. No BatchNorm.
 *
 * @param options Input shape, hidden widths and classes; see {@linkcode MlpOptions}.
 * @param rng Source of the initial weights.
 * @returns The network.
 * @throws {RangeError} When a size is not a positive integer.
 *
 * @example Logistic regression on 4 features
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { Rng } from "../../random/rng.ts";
 * import { createMlp } from "./mlp.ts";
 *
 * await tf.setBackend("cpu");
 * const net = createMlp({ inputShape: [4], hidden: [], numClasses: 3 }, Rng.fromSeed(1n));
 * assert.deepEqual([...net.params.keys()], ["fc1.weight", "fc1.bias"]);
 * assert.equal(net.parameterCount, 15);
 * net.dispose();
 * ```
 */
export function createMlp(options: MlpOptions, rng: Rng): Network {
  const hidden = options.hidden ?? [128];
  const numClasses = options.numClasses ?? 10;
  const what = "an MLP";
  if (options.inputShape.length === 0) {
    throw new RangeError(`Cannot create an MLP as inputShape is empty`);
  }
  options.inputShape.forEach((d, i) =>
    checkPositiveInt(what, `inputShape[${i}]`, d)
  );
  hidden.forEach((d, i) => checkPositiveInt(what, `hidden[${i}]`, d));
  checkPositiveInt(what, "numClasses", numClasses);
  const b = new StateBuilder(rng);
  const sizes = [
    options.inputShape.reduce((a, c) => a * c, 1),
    ...hidden,
    numClasses,
  ];
  for (let i = 0; i + 1 < sizes.length; i++) {
    b.linearDefault(`fc${i + 1}`, sizes[i]!, sizes[i + 1]!);
  }
  const layers = sizes.length - 1;
  return new Network({
    architecture: "mlp",
    config: {
      inputShape: [...options.inputShape],
      hidden: [...hidden],
      numClasses,
    },
    inputShape: options.inputShape,
    numClasses,
    entries: b.entries,
    initial: b.initial,
    forward: (ctx, x) => {
      let h = flattenTorchOrder(x);
      for (let i = 1; i <= layers; i++) {
        h = dense(h, ctx.param(`fc${i}.weight`), ctx.param(`fc${i}.bias`));
        if (i < layers) h = tf.relu(h);
      }
      return h;
    },
  });
}
