/**
 * DepthwiseConv2dNativeBackpropFilter and DepthwiseConv2dNativeBackpropInput (both missing from
 * tfjs-backend-wasm 4.22) expressed as forward depthwise convolutions, which wasm runs through XNNPACK.
 * NHWC, dilation 1 (tfjs's depthwise gradient itself only supports dilation 1).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import {
  asTensor4d,
  insertZeros4d,
  padOrCrop4d,
  type SpatialPads,
} from "./_conv_util.ts";
import type { Conv2dGeometry } from "./conv2d_backprop_filter.ts";

function convInfo(
  xShape: readonly number[],
  filterShape: readonly number[],
  g: Conv2dGeometry,
): tf.backend_util.Conv2DInfo {
  const s: [number, number] = typeof g.strides === "number"
    ? [g.strides, g.strides]
    : [g.strides[0], g.strides[1]];
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    s,
    1,
    g.pad as tf.backend_util.ExplicitPadding,
    g.dimRoundingMode,
    true,
    "channelsLast",
  );
}

/** Splits signed pads into a crop (applied with padOrCrop4d) and non-negative explicit conv padding. */
function split(p: SpatialPads): {
  crop: SpatialPads;
  explicit: tf.backend_util.ExplicitPadding;
} {
  return {
    crop: {
      top: Math.min(0, p.top),
      bottom: Math.min(0, p.bottom),
      left: Math.min(0, p.left),
      right: Math.min(0, p.right),
    },
    explicit: [[0, 0], [Math.max(0, p.top), Math.max(0, p.bottom)], [
      Math.max(0, p.left),
      Math.max(0, p.right),
    ], [0, 0]],
  };
}

/**
 * Filter gradient of y = depthwiseConv2d(x, W), W of shape [k_h, k_w, C, M]:
 * dW[a, b, c, m] = Σ_{n, p, q} x[n, p·s_h + a − padTop, q·s_w + b − padLeft, c] · dy[n, p, q, c·M + m].
 * Computed as one depthwise convolution of x laid out as [1, H, W, N·C] with dy as the (stride-dilated)
 * filter [H_out, W_out, N·C, M], then a sum over N.
 *
 * @param x Forward input, shape [N, H, W, C].
 * @param dy Output cotangent, shape [N, H_out, W_out, C·M].
 * @param filterShape [k_h, k_w, C, M].
 * @param geometry Forward strides, padding and rounding mode.
 * @returns dW, shape `filterShape`.
 * @throws {TypeError} When the shapes are inconsistent.
 *
 * @example Matches the stock filter gradient on the cpu backend
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { depthwiseBackpropFilterViaConv } from "./depthwise_conv2d_backprop.ts";
 *
 * await tf.setBackend("cpu");
 * const x = tf.randomNormal([2, 5, 5, 3], 0, 1, "float32", 1) as tf.Tensor4D;
 * const dy = tf.randomNormal([2, 3, 3, 6], 0, 1, "float32", 2) as tf.Tensor4D;
 * const ours = depthwiseBackpropFilterViaConv(x, dy, [3, 3, 3, 2], { strides: 2, pad: "same" });
 * const stock = tf.grad((w: tf.Tensor) =>
 *   tf.sum(tf.mul(tf.depthwiseConv2d(x, w as tf.Tensor4D, 2, "same"), dy))
 * )(tf.zeros([3, 3, 3, 2]));
 * assert.ok(tf.max(tf.abs(tf.sub(ours, stock))).dataSync()[0]! < 1e-4);
 * ```
 */
export function depthwiseBackpropFilterViaConv(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: readonly [number, number, number, number],
  geometry: Conv2dGeometry,
): tf.Tensor4D {
  const info = convInfo(x.shape, filterShape, geometry);
  const [kh, kw, c, m] = filterShape;
  const [n, h, w] = x.shape;
  const [, hOut, wOut] = dy.shape;
  if (
    x.shape[3] !== c || dy.shape[0] !== n || hOut !== info.outHeight ||
    wOut !== info.outWidth || dy.shape[3] !== c * m
  ) {
    throw new TypeError(
      `Cannot compute DepthwiseConv2dNativeBackpropFilter as shapes disagree: x [${x.shape}], dy [${dy.shape}], ` +
        `filter [${filterShape}], expected dy [${info.outShape}]`,
    );
  }
  return tf.tidy(() => {
    const sh = info.strideHeight;
    const sw = info.strideWidth;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    const { crop, explicit } = split({
      top,
      left,
      bottom: kh - 1 + (hOut - 1) * sh - top - (h - 1),
      right: kw - 1 + (wOut - 1) * sw - left - (w - 1),
    });
    const xc = padOrCrop4d(x, crop);
    const [, hc, wc] = xc.shape;
    const xT = tf.reshape(tf.transpose(xc, [1, 2, 0, 3]), [1, hc, wc, n * c]);
    const dyT = tf.reshape(
      tf.transpose(tf.reshape(dy, [n, hOut, wOut, c, m]), [1, 2, 0, 3, 4]),
      [hOut, wOut, n * c, m],
    );
    const out = tf.depthwiseConv2d(
      xT as tf.Tensor4D,
      dyT as tf.Tensor4D,
      1,
      explicit,
      "NHWC",
      [sh, sw],
    ); // [1, k_h, k_w, N·C·M]
    return tf.sum(tf.reshape(out, [kh, kw, n, c, m]), 2) as tf.Tensor4D;
  });
}

/**
 * Input gradient of y = depthwiseConv2d(x, W), W of shape [k_h, k_w, C, M]:
 * dx[n, h, w, c] = Σ_{m, a, b} dy[n, (h + padTop − a)/s_h, (w + padLeft − b)/s_w, c·M + m] · W[a, b, c, m]
 * (terms with non-integer or out-of-range indices omitted). Computed as a stride-1 depthwise convolution of
 * zero-inserted, padded dy with the spatially flipped filter reshaped to [k_h, k_w, C·M, 1], then a sum over M.
 *
 * @param dy Output cotangent, shape [N, H_out, W_out, C·M].
 * @param filter W, shape [k_h, k_w, C, M].
 * @param inputShape [N, H, W, C].
 * @param geometry Forward strides, padding and rounding mode.
 * @returns dx, shape `inputShape`.
 * @throws {TypeError} When the shapes are inconsistent.
 *
 * @example Matches the stock input gradient on the cpu backend
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { depthwiseBackpropInputViaConv } from "./depthwise_conv2d_backprop.ts";
 *
 * await tf.setBackend("cpu");
 * const w = tf.randomNormal([3, 3, 3, 2], 0, 1, "float32", 1) as tf.Tensor4D;
 * const dy = tf.randomNormal([2, 3, 3, 6], 0, 1, "float32", 2) as tf.Tensor4D;
 * const ours = depthwiseBackpropInputViaConv(dy, w, [2, 6, 6, 3], { strides: 2, pad: "same" });
 * const stock = tf.grad((x: tf.Tensor) =>
 *   tf.sum(tf.mul(tf.depthwiseConv2d(x as tf.Tensor4D, w, 2, "same"), dy))
 * )(tf.zeros([2, 6, 6, 3]));
 * assert.ok(tf.max(tf.abs(tf.sub(ours, stock))).dataSync()[0]! < 1e-4);
 * ```
 */
export function depthwiseBackpropInputViaConv(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: readonly [number, number, number, number],
  geometry: Conv2dGeometry,
): tf.Tensor4D {
  const info = convInfo(inputShape, filter.shape, geometry);
  const [kh, kw, c, m] = filter.shape;
  const [n, h, w] = inputShape;
  if (
    inputShape[3] !== c || dy.shape[0] !== n ||
    dy.shape[1] !== info.outHeight || dy.shape[2] !== info.outWidth ||
    dy.shape[3] !== c * m
  ) {
    throw new TypeError(
      `Cannot compute DepthwiseConv2dNativeBackpropInput as shapes disagree: dy [${dy.shape}], ` +
        `filter [${filter.shape}], input [${inputShape}], expected dy [${info.outShape}]`,
    );
  }
  return tf.tidy(() => {
    const dilated = insertZeros4d(dy, info.strideHeight, info.strideWidth);
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const { crop, explicit } = split({
      top,
      left,
      bottom: h + kh - 1 - dilated.shape[1] - top,
      right: w + kw - 1 - dilated.shape[2] - left,
    });
    const flipped = tf.reshape(tf.reverse(filter, [0, 1]), [kh, kw, c * m, 1]);
    const out = tf.depthwiseConv2d(
      padOrCrop4d(dilated, crop),
      flipped as tf.Tensor4D,
      1,
      explicit,
      "NHWC",
    ); // [N, H, W, C·M]
    return m === 1
      ? out
      : tf.sum(tf.reshape(out, [n, h, w, c, m]), 4) as tf.Tensor4D;
  });
}

function geometryOf(a: {
  strides: number | [number, number];
  pad: "same" | "valid" | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
}): Conv2dGeometry {
  return a.dimRoundingMode === undefined
    ? { strides: a.strides, pad: a.pad }
    : { strides: a.strides, pad: a.pad, dimRoundingMode: a.dimRoundingMode };
}

function assertNoDilation(d: number | [number, number], kernel: string): void {
  const [dh, dw] = typeof d === "number" ? [d, d] : d;
  if (dh !== 1 || dw !== 1) {
    throw new RangeError(
      `Cannot run ${kernel} as dilations must be 1: got [${dh}, ${dw}]`,
    );
  }
}

/** wasm kernel for `DepthwiseConv2dNativeBackpropFilter` via {@linkcode depthwiseBackpropFilterViaConv}. */
export const depthwiseBackpropFilterWasmKernel: tf.KernelConfig = {
  kernelName: "DepthwiseConv2dNativeBackpropFilter",
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs }) => {
    const name = "DepthwiseConv2dNativeBackpropFilter";
    const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
    assertNoDilation(a.dilations, name);
    return depthwiseBackpropFilterViaConv(
      asTensor4d(inputs["x"]!, name),
      asTensor4d(inputs["dy"]!, name),
      a.filterShape as [number, number, number, number],
      geometryOf(a),
    );
  },
};

/** wasm kernel for `DepthwiseConv2dNativeBackpropInput` via {@linkcode depthwiseBackpropInputViaConv}. */
export const depthwiseBackpropInputWasmKernel: tf.KernelConfig = {
  kernelName: "DepthwiseConv2dNativeBackpropInput",
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs }) => {
    const name = "DepthwiseConv2dNativeBackpropInput";
    const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
    assertNoDilation(a.dilations, name);
    return depthwiseBackpropInputViaConv(
      asTensor4d(inputs["dy"]!, name),
      asTensor4d(inputs["filter"]!, name),
      a.inputShape as [number, number, number, number],
      geometryOf(a),
    );
  },
};
