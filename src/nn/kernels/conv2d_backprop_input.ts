/**
 * Conv2DBackpropInput (the input gradient of a 2-D convolution, a.k.a. transposed convolution) expressed as
 * a forward convolution, replacing the naive loop of tfjs-backend-wasm 4.22 with XNNPACK.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { assertNhwc, asTensor4d, padOrCrop4d } from "./_conv_util.ts";
import type { Conv2dGeometry } from "./conv2d_backprop_filter.ts";

/**
 * Input gradient dx of y = conv2d(x, W) (NHWC, dilation 1):
 * dx[n, h, w, i] = Σ_{p, q, a, b, o : p·s_h + a − padTop = h, q·s_w + b − padLeft = w} dy[n, p, q, o] · W[a, b, i, o].
 *
 * Stride 1: one forward convolution of dy, padded by k − 1 − pad, with the filter flipped in space and its
 * channel axes swapped. Strides (s_h, s_w) ≠ (1, 1): polyphase, with no zeros inserted into dy. Write
 * h = s_h·q + r_h (and w likewise); each of the s_h·s_w output phases (r_h, r_w) only meets the filter taps
 * a ≡ r_h + padTop, b ≡ r_w + padLeft (mod s), so it is one stride-1 convolution of dy with that flipped
 * sub-filter W[a₀::s_h, b₀::s_w], giving [N, ⌈H/s_h⌉, ⌈W/s_w⌉, C_in]. The phases are stacked and interleaved
 * with one transpose (then cropped to H × W). Apart from borders, every multiply-add is needed (a phase that meets no
 * tap, e.g. 3 of the 4 phases of a 1×1 stride-2 layer, is zeros), instead of s_h·s_w times as many on a
 * zero-dilated dy. The products are those of the zero-dilated form, summed in the same tap order (on the
 * ResNet-18 shapes the results were bitwise equal).
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
  if (sh === 1 && sw === 1) {
    return tf.tidy(() => {
      const top = kh - 1 - info.padInfo.top;
      const left = kw - 1 - info.padInfo.left;
      const bottom = h + kh - 1 - dy.shape[1] - top;
      const right = w + kw - 1 - dy.shape[2] - left;
      const cropped = padOrCrop4d(dy, {
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
        [Math.max(0, top), Math.max(0, bottom)],
        [Math.max(0, left), Math.max(0, right)],
        [0, 0],
      ], "NHWC");
    });
  }
  const rows = phasePlans(kh, sh, info.padInfo.top, h, info.outHeight);
  const cols = phasePlans(kw, sw, info.padInfo.left, w, info.outWidth);
  const qh = Math.ceil(h / sh);
  const qw = Math.ceil(w / sw);
  return tf.tidy(() => {
    // wT[a·k_w + b, o, i] = W[a, b, i, o]
    const wT = tf.transpose(tf.reshape(filter, [kh * kw, cin, cout]), [
      0,
      2,
      1,
    ]);
    const phases: tf.Tensor4D[] = [];
    for (const ph of rows) {
      for (const pw of cols) {
        phases.push(phaseConv(dy, wT, ph, pw, kw, [n, qh, qw, cin]));
      }
    }
    // [N, Q_h, Q_w, s_h·s_w, C_in] → [N, Q_h, s_h, Q_w, s_w, C_in] → [N, Q_h·s_h, Q_w·s_w, C_in]
    const stacked = tf.reshape(tf.stack(phases, 3), [n, qh, qw, sh, sw, cin]);
    const full = tf.reshape(
      tf.transpose(stacked, [0, 1, 3, 2, 4, 5]),
      [n, qh * sh, qw * sw, cin],
    ) as tf.Tensor4D;
    return qh * sh === h && qw * sw === w
      ? full
      : tf.slice(full, [0, 0, 0, 0], [n, h, w, cin]);
  });
}

/**
 * One output phase r along one spatial axis of a strided transposed convolution: output rows h = s·q + r
 * (q = 0 … ⌈H/s⌉ − 1) receive dx[h] = Σ_j dy[q − j]·W[r + pad + s·j] over the taps j = lo … hi with
 * 0 ≤ r + pad + s·j < k; as a stride-1 convolution with filter row t = hi − j, dy is padded by `before` rows
 * on top and `after` below (negative amounts crop).
 */
interface PhasePlan {
  /** Filter index r + pad + s·hi of the first sub-filter row (t = 0); later rows step by −s. */
  readonly first: number;
  /** Filter stride s. */
  readonly step: number;
  /** Number of taps hi − lo + 1 (0 when the phase meets no tap). */
  readonly taps: number;
  readonly before: number;
  readonly after: number;
}

function phasePlans(
  k: number,
  s: number,
  pad: number,
  inSize: number,
  outSize: number,
): PhasePlan[] {
  const blocks = Math.ceil(inSize / s);
  const plans: PhasePlan[] = [];
  for (let r = 0; r < s; r++) {
    const lo = Math.ceil(-(r + pad) / s);
    const hi = Math.floor((k - 1 - r - pad) / s);
    plans.push({
      first: r + pad + s * hi,
      step: s,
      taps: Math.max(0, hi - lo + 1),
      before: hi,
      after: blocks - 1 - lo - (outSize - 1),
    });
  }
  return plans;
}

/** One phase (rows `ph`, columns `pw`) of {@linkcode conv2dBackpropInputViaConv}, shape `outShape`. */
function phaseConv(
  dy: tf.Tensor4D,
  wT: tf.Tensor,
  ph: PhasePlan,
  pw: PhasePlan,
  kw: number,
  outShape: [number, number, number, number],
): tf.Tensor4D {
  const [, hOut, wOut, cout] = dy.shape;
  const keptRows = hOut + Math.min(0, ph.before) + Math.min(0, ph.after);
  const keptCols = wOut + Math.min(0, pw.before) + Math.min(0, pw.after);
  if (ph.taps === 0 || pw.taps === 0 || keptRows <= 0 || keptCols <= 0) {
    return tf.zeros(outShape);
  }
  const index: number[] = [];
  for (let t = 0; t < ph.taps; t++) {
    for (let u = 0; u < pw.taps; u++) {
      index.push((ph.first - ph.step * t) * kw + (pw.first - pw.step * u));
    }
  }
  // sub[t, u, o, i] = W[first_h − s_h·t, first_w − s_w·u, i, o]: the flipped sub-filter of this phase.
  const sub = tf.reshape(tf.gather(wT, tf.tensor1d(index, "int32")), [
    ph.taps,
    pw.taps,
    cout,
    outShape[3],
  ]) as tf.Tensor4D;
  const cropped = padOrCrop4d(dy, {
    top: Math.min(0, ph.before),
    bottom: Math.min(0, ph.after),
    left: Math.min(0, pw.before),
    right: Math.min(0, pw.after),
  });
  return tf.conv2d(cropped, sub, 1, [
    [0, 0],
    [Math.max(0, ph.before), Math.max(0, ph.after)],
    [Math.max(0, pw.before), Math.max(0, pw.after)],
    [0, 0],
  ], "NHWC");
}

/**
 * wasm kernel for `Conv2DBackpropInput`, replacing the stock naive loop by
 * {@linkcode conv2dBackpropInputViaConv} (wasm Reverse/Gather, Transpose, Pad/Slice and XNNPACK Conv2D).
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
