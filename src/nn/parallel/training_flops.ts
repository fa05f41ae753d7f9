/**
 * Analytic operation counts of ResNet-18 training steps, for effective-throughput figures.
 *
 * @module
 */

import type { ResNet18Spec } from "./model_spec.ts";

/**
 * Multiply-accumulates of one ResNet-18 forward pass on one image, counting convolutions and the final linear
 * layer only (BatchNorm, ReLU, additions and pooling are O(activations) and omitted): a conv with output
 * H_o × W_o, kernel k × k, C_in → C_out costs H_o·W_o·k²·C_in·C_out MACs.
 *
 * @param spec The architecture (width w, stem, input channels, classes, image size).
 * @returns MACs per image.
 *
 * @example torchvision's ResNet-18 at 224×224 (published: 1.81 G)
 * ```ts
 * import assert from "node:assert/strict";
 * import { resnet18ForwardMacs } from "./training_flops.ts";
 *
 * const macs = resnet18ForwardMacs({
 *   kind: "resnet18", width: 64, stem: "imagenet", inChannels: 3, numClasses: 1000, imageSize: 224,
 * });
 * assert.ok(Math.abs(macs / 1.81e9 - 1) < 0.01);
 * ```
 */
export function resnet18ForwardMacs(spec: ResNet18Spec): number {
  const w = spec.width;
  const out = (size: number, k: number, stride: number, pad: number) =>
    Math.floor((size + 2 * pad - k) / stride) + 1;
  let size = spec.imageSize;
  let macs = 0;
  const conv = (
    k: number,
    stride: number,
    pad: number,
    cin: number,
    cout: number,
  ) => {
    const o = out(size, k, stride, pad);
    macs += o * o * k * k * cin * cout;
    return o;
  };
  if (spec.stem === "imagenet") {
    size = conv(7, 2, 3, spec.inChannels, w);
    size = out(size, 3, 2, 1); // max-pool
  } else {
    size = conv(3, 1, 1, spec.inChannels, w);
  }
  let cin = w;
  for (let s = 0; s < 4; s++) {
    const planes = w * 2 ** s;
    for (let i = 0; i < 2; i++) {
      const stride = s > 0 && i === 0 ? 2 : 1;
      const inSize = size;
      const o = conv(3, stride, 1, cin, planes);
      if (stride !== 1 || cin !== planes) {
        // The 1×1 downsample conv sees the block input.
        const oo = out(inSize, 1, stride, 0);
        macs += oo * oo * cin * planes;
      }
      size = o;
      conv(3, 1, 1, planes, planes);
      cin = planes;
    }
  }
  return macs + cin * spec.numClasses;
}

/**
 * Floating-point operations of one training step: 2 FLOPs per MAC, and 3 passes (forward, gradient with
 * respect to the inputs, gradient with respect to the weights), times the batch size S.
 *
 * @param spec The architecture.
 * @param batchSize S (positive integer).
 * @returns 6 · S · MACs per image.
 *
 * @example Width 16, small stem, 32×32×3, batch 64 (≈ 13.5 GFLOP)
 * ```ts
 * import assert from "node:assert/strict";
 * import { resnet18TrainingFlops } from "./training_flops.ts";
 *
 * const f = resnet18TrainingFlops({
 *   kind: "resnet18", width: 16, stem: "small", inChannels: 3, numClasses: 10, imageSize: 32,
 * }, 64);
 * assert.ok(f > 13e9 && f < 14e9);
 * ```
 */
export function resnet18TrainingFlops(
  spec: ResNet18Spec,
  batchSize: number,
): number {
  return 6 * batchSize * resnet18ForwardMacs(spec);
}
