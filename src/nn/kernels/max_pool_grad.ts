/**
 * A correct MaxPoolGrad for the wasm backend, and a gradient for MaxPoolGrad itself (so that max pooling
 * supports second-order autodiff on every backend). Both are built from per-window-offset "first maximum"
 * masks, so ties go to the first maximum in row-major window order, as in tfjs-backend-cpu.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { asTensor4d, insertZeros4d, padOrCrop4d } from "./_conv_util.ts";

/** Pooling geometry, as in `tf.maxPool`. */
export interface PoolGeometry {
  /** Window size [k_h, k_w] or one number for both (integers ≥ 1). */
  readonly filterSize: number | readonly [number, number];
  /** Strides [s_h, s_w] or one number for both (integers ≥ 1). */
  readonly strides: number | readonly [number, number];
  /** Padding: "same", "valid", a number, or explicit NHWC pairs. */
  readonly pad: "same" | "valid" | number | tf.backend_util.ExplicitPadding;
  /** Rounding of the output size when `pad` is a number. @default {undefined} */
  readonly dimRoundingMode?: "floor" | "round" | "ceil";
}

interface Windows {
  readonly info: tf.backend_util.Conv2DInfo;
  /** Padding of the input so that every window lies inside it (may be negative = crop). */
  readonly pads: { top: number; bottom: number; left: number; right: number };
}

function windows(xShape: readonly number[], g: PoolGeometry): Windows {
  const pair = (v: number | readonly [number, number]): [number, number] =>
    typeof v === "number" ? [v, v] : [v[0], v[1]];
  const info = tf.backend_util.computePool2DInfo(
    xShape as [number, number, number, number],
    pair(g.filterSize),
    pair(g.strides),
    1,
    g.pad as tf.backend_util.ExplicitPadding,
    g.dimRoundingMode,
  );
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  return {
    info,
    pads: {
      top,
      left,
      bottom: (info.outHeight - 1) * info.strideHeight + info.filterHeight -
        top - info.inHeight,
      right: (info.outWidth - 1) * info.strideWidth + info.filterWidth - left -
        info.inWidth,
    },
  };
}

/** x_pad[n, p·s_h + a, q·s_w + b, c] for all output positions (p, q): shape [N, H_out, W_out, C]. */
function windowSlice(
  padded: tf.Tensor4D,
  a: number,
  b: number,
  info: tf.backend_util.Conv2DInfo,
): tf.Tensor4D {
  const [n, , , c] = padded.shape;
  return tf.stridedSlice(padded, [0, a, b, 0], [
    n,
    a + (info.outHeight - 1) * info.strideHeight + 1,
    b + (info.outWidth - 1) * info.strideWidth + 1,
    c,
  ], [1, info.strideHeight, info.strideWidth, 1]) as tf.Tensor4D;
}

/**
 * For each window offset (a, b) in row-major order, a float32 0/1 mask [N, H_out, W_out, C] that is 1 where
 * x_pad at that offset is the first element of its window equal to the window maximum y.
 */
function firstMaxMasks(
  x: tf.Tensor4D,
  y: tf.Tensor4D,
  w: Windows,
): tf.Tensor4D[] {
  const padded = padOrCrop4d(x, w.pads, -Infinity);
  const masks: tf.Tensor4D[] = [];
  let taken: tf.Tensor4D | null = null;
  for (let a = 0; a < w.info.filterHeight; a++) {
    for (let b = 0; b < w.info.filterWidth; b++) {
      const eq = tf.cast(
        tf.equal(windowSlice(padded, a, b, w.info), y),
        "float32",
      ) as tf.Tensor4D;
      const first: tf.Tensor4D = taken === null
        ? eq
        : tf.mul(eq, tf.sub(1, taken));
      masks.push(first);
      taken = taken === null ? first : tf.add(taken, first);
    }
  }
  return masks;
}

/**
 * Gradient of y = maxPool(x) with respect to x: dx = Σ over windows of dy routed to the (first) maximum of
 * each window. Exact in float32 (one addition per overlapping window).
 *
 * @param dy Gradient with respect to the pooled output, shape [N, H_out, W_out, C].
 * @param x Pooling input, shape [N, H, W, C].
 * @param y Pooled output maxPool(x), shape [N, H_out, W_out, C] (its values must equal window maxima).
 * @param geometry Window size, strides, padding.
 * @returns dx, shape [N, H, W, C].
 * @throws {TypeError} When dy or y does not have the pooled shape.
 *
 * @example Routes each window's gradient to its maximum, also for all-negative windows
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { maxPoolGradViaMasks } from "./max_pool_grad.ts";
 *
 * await tf.setBackend("cpu");
 * const x = tf.tensor4d([-3, -1, -2, -4], [1, 2, 2, 1]);
 * const y = tf.maxPool(x, 2, 2, "valid");
 * const dx = maxPoolGradViaMasks(tf.ones([1, 1, 1, 1]), x, y, { filterSize: 2, strides: 2, pad: "valid" });
 * assert.deepEqual(Array.from(dx.dataSync()), [0, 1, 0, 0]);
 * ```
 */
export function maxPoolGradViaMasks(
  dy: tf.Tensor4D,
  x: tf.Tensor4D,
  y: tf.Tensor4D,
  geometry: PoolGeometry,
): tf.Tensor4D {
  const w = windows(x.shape, geometry);
  const outShape = w.info.outShape.join(",");
  if (dy.shape.join(",") !== outShape || y.shape.join(",") !== outShape) {
    throw new TypeError(
      `Cannot compute MaxPoolGrad as shapes disagree: dy [${dy.shape}], y [${y.shape}], expected [${outShape}]`,
    );
  }
  return tf.tidy(() => {
    const masks = firstMaxMasks(x, y, w);
    const hp = (w.info.outHeight - 1) * w.info.strideHeight +
      w.info.filterHeight;
    const wp = (w.info.outWidth - 1) * w.info.strideWidth + w.info.filterWidth;
    const parts: tf.Tensor4D[] = [];
    let k = 0;
    for (let a = 0; a < w.info.filterHeight; a++) {
      for (let b = 0; b < w.info.filterWidth; b++) {
        const routed = insertZeros4d(
          tf.mul(dy, masks[k++]!),
          w.info.strideHeight,
          w.info.strideWidth,
        );
        parts.push(padOrCrop4d(routed, {
          top: a,
          left: b,
          bottom: hp - a - routed.shape[1],
          right: wp - b - routed.shape[2],
        }));
      }
    }
    const summed = parts.length === 1 ? parts[0]! : tf.addN(parts);
    // Undo the window padding: negative amounts crop, positive ones restore rows no window reads.
    return padOrCrop4d(summed as tf.Tensor4D, {
      top: -w.pads.top,
      left: -w.pads.left,
      bottom: -w.pads.bottom,
      right: -w.pads.right,
    });
  });
}

/**
 * Jacobian-transpose of {@linkcode maxPoolGradViaMasks} with respect to dy: ddy[n, p, q, c] = ddx at the first
 * maximum of window (p, q). This is the gradient of MaxPoolGrad with respect to dy (max pooling is piecewise
 * linear, so the gradients with respect to x and y are zero almost everywhere).
 *
 * @param ddx Cotangent of dx, shape [N, H, W, C].
 * @param x Pooling input, shape [N, H, W, C].
 * @param y Pooled output, shape [N, H_out, W_out, C].
 * @param geometry Window size, strides, padding.
 * @returns ddy, shape [N, H_out, W_out, C].
 *
 * @example Picks ddx at each window's maximum
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { gatherAtMaxima } from "./max_pool_grad.ts";
 *
 * await tf.setBackend("cpu");
 * const x = tf.tensor4d([1, 5, 2, 0], [1, 2, 2, 1]);
 * const y = tf.maxPool(x, 2, 2, "valid");
 * const ddy = gatherAtMaxima(tf.tensor4d([10, 20, 30, 40], [1, 2, 2, 1]), x, y, {
 *   filterSize: 2, strides: 2, pad: "valid",
 * });
 * assert.deepEqual(Array.from(ddy.dataSync()), [20]);
 * ```
 */
export function gatherAtMaxima(
  ddx: tf.Tensor4D,
  x: tf.Tensor4D,
  y: tf.Tensor4D,
  geometry: PoolGeometry,
): tf.Tensor4D {
  const w = windows(x.shape, geometry);
  return tf.tidy(() => {
    const masks = firstMaxMasks(x, y, w);
    const padded = padOrCrop4d(ddx, w.pads, 0);
    const parts: tf.Tensor4D[] = [];
    let k = 0;
    for (let a = 0; a < w.info.filterHeight; a++) {
      for (let b = 0; b < w.info.filterWidth; b++) {
        parts.push(tf.mul(masks[k++]!, windowSlice(padded, a, b, w.info)));
      }
    }
    return (parts.length === 1 ? parts[0]! : tf.addN(parts)) as tf.Tensor4D;
  });
}

function geometryFromAttrs(a: tf.MaxPoolGradAttrs): PoolGeometry {
  return a.dimRoundingMode === undefined
    ? { filterSize: a.filterSize, strides: a.strides, pad: a.pad }
    : {
      filterSize: a.filterSize,
      strides: a.strides,
      pad: a.pad,
      dimRoundingMode: a.dimRoundingMode,
    };
}

/**
 * wasm kernel for `MaxPoolGrad`: the stock one drops the gradient of windows whose inputs are all negative
 * (its running maximum starts at +FLT_MIN) and breaks ties towards the last maximum; this one runs
 * {@linkcode maxPoolGradViaMasks}.
 */
export const maxPoolGradWasmKernel: tf.KernelConfig = {
  kernelName: "MaxPoolGrad",
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs }) => {
    const a = attrs as unknown as tf.MaxPoolGradAttrs;
    return maxPoolGradViaMasks(
      asTensor4d(inputs["dy"]!, "MaxPoolGrad"),
      asTensor4d(inputs["input"]!, "MaxPoolGrad"),
      asTensor4d(inputs["output"]!, "MaxPoolGrad"),
      geometryFromAttrs(a),
    );
  },
};

/**
 * Gradient of the `MaxPoolGrad` kernel (global, all backends), needed for Hessian-vector products through
 * `tf.maxPool`: dy gets {@linkcode gatherAtMaxima}; input and output get zeros (piecewise-linear op).
 */
export const maxPoolGradGradient: tf.GradConfig = {
  kernelName: "MaxPoolGrad",
  inputsToSave: ["input", "output"],
  gradFunc: (ddx, saved, attrs) => {
    const [x, y] = saved as [tf.Tensor4D, tf.Tensor4D];
    const g = geometryFromAttrs(attrs as unknown as tf.MaxPoolGradAttrs);
    return {
      dy: () => gatherAtMaxima(ddx as tf.Tensor4D, x, y, g),
      input: () => tf.zerosLike(x),
      output: () => tf.zerosLike(y),
    };
  },
};
