/**
 * Conv2DBackpropFilter (the weight gradient of a 2-D convolution) expressed as a forward convolution, so
 * that the wasm backend, which ships no such kernel in tfjs 4.22, runs it through XNNPACK.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import {
  assertNhwc,
  asTensor4d,
  padOrCrop4d,
  type SpatialPads,
} from "./_conv_util.ts";

/** Options of {@linkcode conv2dBackpropFilterViaConv}, as in `tf.conv2d`. */
export interface Conv2dGeometry {
  /** Forward strides [strideH, strideW] or one number for both (integers ≥ 1). */
  readonly strides: number | readonly [number, number];
  /** Forward padding: "same", "valid", a number, or explicit NHWC pairs. */
  readonly pad: "same" | "valid" | number | tf.backend_util.ExplicitPadding;
  /** Rounding of the output size when `pad` is a number. @default {undefined} */
  readonly dimRoundingMode?: "floor" | "round" | "ceil";
}

function stridePair(s: number | readonly [number, number]): [number, number] {
  return typeof s === "number" ? [s, s] : [s[0], s[1]];
}

/**
 * Weight gradient dW of y = conv2d(x, W) (NHWC, dilation 1):
 * dW[a, b, i, o] = Σ_{n, p, q} x[n, p·s_h + a − padTop, q·s_w + b − padLeft, i] · dy[n, p, q, o].
 *
 * Computed as one forward convolution: x transposed to [C_in, H, W, N] is the input, dy transposed to
 * [H_out, W_out, N, C_out] is the filter, the forward stride becomes the dilation, and the forward padding
 * becomes explicit padding (rows the forward pass never reads are cropped). The output [C_in, k_h, k_w, C_out]
 * is transposed back to [k_h, k_w, C_in, C_out]. Same float32 sums as the direct formula, in another order.
 *
 * @param x Forward input, shape [N, H, W, C_in].
 * @param dy Gradient of the loss with respect to the forward output, shape [N, H_out, W_out, C_out].
 * @param filterShape Shape [k_h, k_w, C_in, C_out] of the filter W.
 * @param geometry Forward strides, padding and rounding mode.
 * @returns dW, shape `filterShape`.
 * @throws {TypeError} When the shapes are inconsistent with the forward convolution.
 *
 * @example Matches the stock filter gradient on the cpu backend
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { conv2dBackpropFilterViaConv } from "./conv2d_backprop_filter.ts";
 *
 * await tf.setBackend("cpu");
 * const x = tf.randomNormal([2, 5, 5, 3], 0, 1, "float32", 1) as tf.Tensor4D;
 * const dy = tf.randomNormal([2, 3, 3, 4], 0, 1, "float32", 2) as tf.Tensor4D;
 * const ours = conv2dBackpropFilterViaConv(x, dy, [3, 3, 3, 4], { strides: 2, pad: "same" });
 * const w = tf.zeros([3, 3, 3, 4]);
 * // d/dW Σ conv2d(x, W)·dy = dW for any W, because the convolution is linear in W.
 * const stock = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, v as tf.Tensor4D, 2, "same"), dy)))(w);
 * assert.ok(tf.max(tf.abs(tf.sub(ours, stock))).dataSync()[0]! < 1e-4);
 * ```
 */
export function conv2dBackpropFilterViaConv(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: readonly [number, number, number, number],
  geometry: Conv2dGeometry,
): tf.Tensor4D {
  const [sh, sw] = stridePair(geometry.strides);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    [...filterShape],
    [sh, sw],
    1,
    geometry.pad as tf.backend_util.ExplicitPadding,
    geometry.dimRoundingMode,
    false,
    "channelsLast",
  );
  const [kh, kw, cin, cout] = filterShape;
  const [, hOut, wOut, dyC] = dy.shape;
  if (
    dy.shape[0] !== x.shape[0] || hOut !== info.outHeight ||
    wOut !== info.outWidth || dyC !== cout || x.shape[3] !== cin
  ) {
    throw new TypeError(
      `Cannot compute Conv2DBackpropFilter as shapes disagree: x [${x.shape}], dy [${dy.shape}], ` +
        `filter [${filterShape}], expected dy [${info.outShape}]`,
    );
  }
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    // Rows read by the dilated "filter": from −top to −top + (H_out−1)·s_h + k_h − 1.
    const pads: SpatialPads = {
      top,
      left,
      bottom: kh - 1 + (hOut - 1) * sh - top - (h - 1),
      right: kw - 1 + (wOut - 1) * sw - left - (w - 1),
    };
    // Crop (negative amounts) here; positive amounts go to the convolution as explicit padding.
    const cropped = padOrCrop4d(x, {
      top: Math.min(0, pads.top),
      bottom: Math.min(0, pads.bottom),
      left: Math.min(0, pads.left),
      right: Math.min(0, pads.right),
    });
    const xT = tf.transpose(cropped, [3, 1, 2, 0]) as tf.Tensor4D; // [C_in, H', W', N]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [H_out, W_out, N, C_out]
    const out = tf.conv2d(
      xT,
      dyT,
      1,
      [[0, 0], [Math.max(0, pads.top), Math.max(0, pads.bottom)], [
        Math.max(0, pads.left),
        Math.max(0, pads.right),
      ], [0, 0]],
      "NHWC",
      [sh, sw],
    ); // [C_in, k_h, k_w, C_out]
    if (out.shape[1] !== kh || out.shape[2] !== kw) {
      throw new TypeError(
        `Cannot compute Conv2DBackpropFilter as the convolution gave shape [${out.shape}] for filter [${filterShape}]`,
      );
    }
    return tf.transpose(out, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}

/**
 * wasm kernel for `Conv2DBackpropFilter` (missing from tfjs-backend-wasm 4.22), running
 * {@linkcode conv2dBackpropFilterViaConv} with the wasm Transpose, Pad/Slice and Conv2D (XNNPACK) kernels.
 * NHWC only; the attribute `dataFormat: "NCHW"` throws a TypeError.
 */
export const conv2dBackpropFilterWasmKernel: tf.KernelConfig = {
  kernelName: "Conv2DBackpropFilter",
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs }) => {
    const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    assertNhwc(a.dataFormat, "Conv2DBackpropFilter");
    const x = asTensor4d(inputs["x"]!, "Conv2DBackpropFilter");
    const dy = asTensor4d(inputs["dy"]!, "Conv2DBackpropFilter");
    const geometry: Conv2dGeometry = a.dimRoundingMode === undefined
      ? { strides: a.strides, pad: a.pad }
      : { strides: a.strides, pad: a.pad, dimRoundingMode: a.dimRoundingMode };
    return conv2dBackpropFilterViaConv(
      x,
      dy,
      a.filterShape as [number, number, number, number],
      geometry,
    );
  },
};

/**
 * Gradient of the `Conv2DBackpropFilter` kernel (global, all backends; tfjs 4.22 has none), needed for
 * Hessian-vector products through `tf.conv2d`. dW(x, dy) is bilinear: ⟨ddW, dW⟩ = ⟨conv2d(x, ddW), dy⟩, so
 * the cotangent of x is conv2DBackpropInput(dy, ddW) and that of dy is conv2d(x, ddW).
 */
export const conv2dBackpropFilterGradient: tf.GradConfig = {
  kernelName: "Conv2DBackpropFilter",
  inputsToSave: ["x", "dy"],
  gradFunc: (ddw, saved, attrs) => {
    const [x, dy] = saved as [tf.Tensor4D, tf.Tensor4D];
    const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    assertNhwc(a.dataFormat, "the gradient of Conv2DBackpropFilter");
    const filter = ddw as tf.Tensor4D;
    return {
      x: () =>
        tf.conv2dTranspose(
          dy,
          filter,
          x.shape,
          a.strides,
          a.pad as "same" | "valid" | number,
          a.dimRoundingMode,
        ),
      dy: () =>
        tf.conv2d(
          x,
          filter,
          a.strides,
          a.pad,
          "NHWC",
          1,
          a.dimRoundingMode,
        ),
    };
  },
};
