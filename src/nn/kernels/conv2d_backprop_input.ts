/**
 * Conv2DBackpropInput (the input gradient of a 2-D convolution, a.k.a. transposed convolution) expressed as
 * a forward convolution, replacing the naive loop of tfjs-backend-wasm 4.22 with XNNPACK.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import {
  assertNhwc,
  asTensor4d,
  insertZeros4d,
  padOrCrop4d,
} from "./_conv_util.ts";
import type { Conv2dGeometry } from "./conv2d_backprop_filter.ts";

/**
 * Input gradient dx of y = conv2d(x, W) (NHWC, dilation 1):
 * dx[n, h, w, i] = Σ_{p, q, a, b, o : p·s_h + a − padTop = h, q·s_w + b − padLeft = w} dy[n, p, q, o] · W[a, b, i, o].
 *
 * Computed as one stride-1 forward convolution of dy with zeros inserted between its rows and columns
 * (stride − 1 of them), padded by k − 1 − pad, with the filter flipped in space and its channel axes swapped.
 * The zeros cost (stride²)× more multiply-adds than necessary for strided layers, but XNNPACK is still far
 * faster than the stock loop.
 *
 * @param dy Gradient of the loss with respect to the forward output, shape [N, H_out, W_out, C_out].
 * @param filter Filter W, shape [k_h, k_w, C_in, C_out].
 * @param inputShape Shape [N, H, W, C_in] of the forward input x.
 * @param geometry Forward strides, padding and rounding mode.
 * @returns dx, shape `inputShape`.
 * @throws {TypeError} When the shapes are inconsistent with the forward convolution.
 *
 * @example Matches tf.conv2dTranspose's stock kernel on the cpu backend
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { conv2dBackpropInputViaConv } from "./conv2d_backprop_input.ts";
 *
 * await tf.setBackend("cpu");
 * const w = tf.randomNormal([3, 3, 2, 4], 0, 1, "float32", 1) as tf.Tensor4D;
 * const dy = tf.randomNormal([2, 3, 3, 4], 0, 1, "float32", 2) as tf.Tensor4D;
 * const ours = conv2dBackpropInputViaConv(dy, w, [2, 6, 6, 2], { strides: 2, pad: "same" });
 * const stock = tf.conv2dTranspose(dy, w, [2, 6, 6, 2], 2, "same");
 * assert.ok(tf.max(tf.abs(tf.sub(ours, stock))).dataSync()[0]! < 1e-4);
 * ```
 */
export function conv2dBackpropInputViaConv(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: readonly [number, number, number, number],
  geometry: Conv2dGeometry,
): tf.Tensor4D {
  const [sh, sw] = typeof geometry.strides === "number"
    ? [geometry.strides, geometry.strides]
    : geometry.strides;
  const info = tf.backend_util.computeConv2DInfo(
    [...inputShape],
    filter.shape,
    [sh, sw],
    1,
    geometry.pad as tf.backend_util.ExplicitPadding,
    geometry.dimRoundingMode,
    false,
    "channelsLast",
  );
  const [kh, kw, cin, cout] = filter.shape;
  const [n, h, w, xc] = inputShape;
  if (
    dy.shape[0] !== n || dy.shape[1] !== info.outHeight ||
    dy.shape[2] !== info.outWidth || dy.shape[3] !== cout || xc !== cin
  ) {
    throw new TypeError(
      `Cannot compute Conv2DBackpropInput as shapes disagree: dy [${dy.shape}], filter [${filter.shape}], ` +
        `input [${inputShape}], expected dy [${info.outShape}]`,
    );
  }
  return tf.tidy(() => {
    const dilated = insertZeros4d(dy, sh, sw); // [N, (H_out−1)·s_h + 1, (W_out−1)·s_w + 1, C_out]
    const hd = dilated.shape[1];
    const wd = dilated.shape[2];
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const bottom = h + kh - 1 - hd - top;
    const right = w + kw - 1 - wd - left;
    const cropped = padOrCrop4d(dilated, {
      top: Math.min(0, top),
      bottom: Math.min(0, bottom),
      left: Math.min(0, left),
      right: Math.min(0, right),
    });
    // W'[a, b, o, i] = W[k_h − 1 − a, k_w − 1 − b, i, o]
    const flipped = tf.transpose(
      tf.reverse(filter, [0, 1]),
      [0, 1, 3, 2],
    ) as tf.Tensor4D;
    return tf.conv2d(cropped, flipped, 1, [
      [0, 0],
      [
        Math.max(0, top),
        Math.max(0, bottom),
      ],
      [Math.max(0, left), Math.max(0, right)],
      [0, 0],
    ], "NHWC");
  });
}

/**
 * wasm kernel for `Conv2DBackpropInput`, replacing the stock naive loop by
 * {@linkcode conv2dBackpropInputViaConv} (wasm Reverse, Transpose, Pad/Slice and XNNPACK Conv2D).
 * NHWC only; `dataFormat: "NCHW"` throws a TypeError.
 */
export const conv2dBackpropInputWasmKernel: tf.KernelConfig = {
  kernelName: "Conv2DBackpropInput",
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs }) => {
    const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    assertNhwc(a.dataFormat, "Conv2DBackpropInput");
    const dy = asTensor4d(inputs["dy"]!, "Conv2DBackpropInput");
    const filter = asTensor4d(inputs["filter"]!, "Conv2DBackpropInput");
    const geometry: Conv2dGeometry = a.dimRoundingMode === undefined
      ? { strides: a.strides, pad: a.pad }
      : { strides: a.strides, pad: a.pad, dimRoundingMode: a.dimRoundingMode };
    return conv2dBackpropInputViaConv(
      dy,
      filter,
      a.inputShape as [number, number, number, number],
      geometry,
    );
  },
};
