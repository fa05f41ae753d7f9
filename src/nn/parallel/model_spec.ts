/**
 * A JSON-serialisable description of a network ({@linkcode ModelSpec}) and the factory that builds it, so
 * that a Worker, a trajectory manifest and a checkpoint reader all construct the same architecture.
 *
 * @module
 */

import type { Rng } from "../../random/rng.ts";
import { createMlp } from "../models/mlp.ts";
import type { Network } from "../models/network.ts";
import { createResNet18, type ResNetStem } from "../models/resnet18.ts";
import { createSmallCnn } from "../models/small_cnn.ts";

/** ResNet-18 (torchvision names) at any width; see `createResNet18`. */
export interface ResNet18Spec {
  readonly kind: "resnet18";
  readonly width: number;
  readonly stem: ResNetStem;
  readonly inChannels: number;
  readonly numClasses: number;
  readonly imageSize: number;
}

/** Multi-layer perceptron; see `createMlp`. */
export interface MlpSpec {
  readonly kind: "mlp";
  readonly inputShape: readonly number[];
  readonly hidden: readonly number[];
  readonly numClasses: number;
}

/** Two-conv CNN; see `createSmallCnn`. */
export interface SmallCnnSpec {
  readonly kind: "small_cnn";
  readonly inputShape: readonly [number, number, number];
  readonly width: number;
  readonly numClasses: number;
  readonly batchNorm: boolean;
}

/** Any network the data-parallel trainer and the trajectory generator can build. */
export type ModelSpec = ResNet18Spec | MlpSpec | SmallCnnSpec;

/**
 * Builds the network a {@linkcode ModelSpec} describes, initialised from `rng` (PyTorch default schemes).
 *
 * @param spec The architecture.
 * @param rng Generator for the initial weights.
 * @returns A new network (dispose it when done).
 * @throws {RangeError} For an unknown kind or an invalid size (from the model factories).
 *
 * @example An MLP
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { Rng } from "../../random/rng.ts";
 * import { createModel } from "./model_spec.ts";
 *
 * await tf.setBackend("cpu");
 * const net = createModel({ kind: "mlp", inputShape: [4], hidden: [3], numClasses: 2 }, Rng.fromSeed(1n));
 * assert.equal(net.parameterCount, 4 * 3 + 3 + 3 * 2 + 2);
 * net.dispose();
 * ```
 */
export function createModel(spec: ModelSpec, rng: Rng): Network {
  switch (spec.kind) {
    case "resnet18":
      return createResNet18({
        width: spec.width,
        stem: spec.stem,
        inChannels: spec.inChannels,
        numClasses: spec.numClasses,
        imageSize: spec.imageSize,
      }, rng);
    case "mlp":
      return createMlp({
        inputShape: spec.inputShape,
        hidden: spec.hidden,
        numClasses: spec.numClasses,
      }, rng);
    case "small_cnn":
      return createSmallCnn({
        inputShape: spec.inputShape,
        width: spec.width,
        numClasses: spec.numClasses,
        batchNorm: spec.batchNorm,
      }, rng);
    default:
      throw new RangeError(
        `Cannot create a model as its kind must be resnet18, mlp or small_cnn: kind=${
          JSON.stringify((spec as { kind: unknown }).kind)
        }`,
      );
  }
}
