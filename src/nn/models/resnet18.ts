/**
 * ResNet-18 ([2, 2, 2, 2] BasicBlocks) with torchvision's parameter names and initialisation, at any width.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../../random/rng.ts";
import { checkPositiveInt, conv, dense, StateBuilder } from "./_layers.ts";
import { Network } from "./network.ts";

/** Stem of a ResNet: torchvision's ImageNet stem, or the 3×3 stem used for 32×32 images. */
export type ResNetStem = "imagenet" | "small";

/** Options of {@linkcode createResNet18}. */
export interface ResNet18Options {
  /**
   * Channels of the first stage; stages have width, 2·width, 4·width, 8·width. 64 is torchvision's
   * ResNet-18 (11,689,512 parameters at 1000 classes).
   *
   * @default {64}
   */
  readonly width?: number;
  /**
   * Input channels C (3 for RGB, 1 for MNIST).
   *
   * @default {3}
   */
  readonly inChannels?: number;
  /**
   * Number of classes K (size of `fc`).
   *
   * @default {10}
   */
  readonly numClasses?: number;
  /**
   * `"imagenet"`: 7×7 stride-2 conv (padding 3), BN, ReLU, 3×3 stride-2 max-pool (padding 1), as torchvision.
   * `"small"`: 3×3 stride-1 conv (padding 1), BN, ReLU, no pool (the usual CIFAR variant).
   *
   * @default {"small"}
   */
  readonly stem?: ResNetStem;
  /**
   * Input height = width in pixels (the network itself accepts any size; this fixes `inputShape`).
   *
   * @default {32}
   */
  readonly imageSize?: number;
}

const BLOCKS_PER_STAGE = [2, 2, 2, 2] as const;

/**
 * Builds a ResNet-18 whose state names are exactly torchvision's `resnet18().state_dict()` keys:
 * `conv1.weight`, `bn1.{weight,bias,running_mean,running_var,num_batches_tracked}`,
 * `layer{1..4}.{0,1}.{conv1,bn1,conv2,bn2}.*`, `layer{2,3,4}.0.downsample.{0,1}.*`, `fc.{weight,bias}`, in the
 * same order. Convs have no bias; BatchNorm uses ε = 1e-5 and momentum 0.1. Initialisation follows torchvision:
 * conv weights N(0, 2/(out·kh·kw)) (kaiming normal, fan_out), BN weight 1 and bias 0, `fc` U(±1/√fan_in).
 * Float32 through tfjs.
 *
 * @param options Width, input channels, classes, stem and image size; see {@linkcode ResNet18Options}.
 * @param rng Source of the initial weights (drawn in entry order).
 * @returns The network; inputs are NHWC `[B, imageSize, imageSize, inChannels]`.
 * @throws {RangeError} When width, inChannels, numClasses or imageSize is not a positive integer, or the stem
 *   is unknown.
 *
 * @example A width-4 ResNet-18 on 1×16×16 images
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { Rng } from "../../random/rng.ts";
 * import { createResNet18 } from "./resnet18.ts";
 *
 * await tf.setBackend("cpu");
 * const net = createResNet18({ width: 4, inChannels: 1, imageSize: 16 }, Rng.fromSeed(1n));
 * assert.equal(net.params.get("layer2.0.downsample.0.weight")!.shape.join(), "1,1,4,8");
 * const logits = tf.tidy(() => net.forward(tf.zeros([2, 16, 16, 1]), { training: false }));
 * assert.deepEqual(logits.shape, [2, 10]);
 * logits.dispose();
 * net.dispose();
 * ```
 */
export function createResNet18(
  options: ResNet18Options,
  rng: Rng,
): Network {
  const width = options.width ?? 64;
  const inChannels = options.inChannels ?? 3;
  const numClasses = options.numClasses ?? 10;
  const stem = options.stem ?? "small";
  const imageSize = options.imageSize ?? 32;
  const what = "a ResNet-18";
  checkPositiveInt(what, "width", width);
  checkPositiveInt(what, "inChannels", inChannels);
  checkPositiveInt(what, "numClasses", numClasses);
  checkPositiveInt(what, "imageSize", imageSize);
  if (stem !== "imagenet" && stem !== "small") {
    throw new RangeError(
      `Cannot create a ResNet-18 as stem must be "imagenet" or "small": stem=${
        JSON.stringify(stem)
      }`,
    );
  }

  const b = new StateBuilder(rng);
  const stemK = stem === "imagenet" ? 7 : 3;
  b.convKaimingFanOut("conv1.weight", stemK, inChannels, width);
  b.batchNorm("bn1", width);
  interface Block {
    readonly prefix: string;
    readonly stride: number;
    readonly downsample: boolean;
  }
  const blocks: Block[] = [];
  let cin = width;
  BLOCKS_PER_STAGE.forEach((count, s) => {
    const planes = width * 2 ** s;
    for (let i = 0; i < count; i++) {
      const prefix = `layer${s + 1}.${i}`;
      const stride = s > 0 && i === 0 ? 2 : 1;
      const downsample = stride !== 1 || cin !== planes;
      b.convKaimingFanOut(`${prefix}.conv1.weight`, 3, cin, planes);
      b.batchNorm(`${prefix}.bn1`, planes);
      b.convKaimingFanOut(`${prefix}.conv2.weight`, 3, planes, planes);
      b.batchNorm(`${prefix}.bn2`, planes);
      if (downsample) {
        b.convKaimingFanOut(`${prefix}.downsample.0.weight`, 1, cin, planes);
        b.batchNorm(`${prefix}.downsample.1`, planes);
      }
      blocks.push({ prefix, stride, downsample });
      cin = planes;
    }
  });
  b.linearDefault("fc", cin, numClasses);

  return new Network({
    architecture: "resnet18",
    config: { width, inChannels, numClasses, stem, imageSize },
    inputShape: [imageSize, imageSize, inChannels],
    numClasses,
    entries: b.entries,
    initial: b.initial,
    forward: (ctx, x) => {
      let h = conv(
        x as tf.Tensor4D,
        ctx.param("conv1.weight"),
        stem === "imagenet" ? 2 : 1,
        stem === "imagenet" ? 3 : 1,
      );
      h = tf.relu(ctx.batchNorm("bn1", h));
      if (stem === "imagenet") h = tf.maxPool(h, 3, 2, 1);
      for (const { prefix, stride, downsample } of blocks) {
        let y = conv(h, ctx.param(`${prefix}.conv1.weight`), stride, 1);
        y = tf.relu(ctx.batchNorm(`${prefix}.bn1`, y));
        y = conv(y, ctx.param(`${prefix}.conv2.weight`), 1, 1);
        y = ctx.batchNorm(`${prefix}.bn2`, y);
        const identity = downsample
          ? ctx.batchNorm(
            `${prefix}.downsample.1`,
            conv(h, ctx.param(`${prefix}.downsample.0.weight`), stride, 0),
          )
          : h;
        h = tf.relu(tf.add(y, identity));
      }
      const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
      return dense(pooled, ctx.param("fc.weight"), ctx.param("fc.bias"));
    },
  });
}
